"""What every spreadsheet shares: for imports, a row's error named by row, column and header, the
parse result, and the reading of a cell as text (a formula cell named as such); for exports, the
writing of user text as text. Each import and export (documents, credit) keeps its own columns."""

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class RowError:
    row: int
    column: str
    header: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"，{self.column}列（{self.header}）" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


class ImportFileError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header, missing columns)."""


# A cell whose text begins with one of these is taken for a formula by Excel or WPS once edited
# (OWASP "CSV injection"): exported user text that starts so is written as a quoted string.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def text_safe(cell):
    """Make an openpyxl cell holding user text a plain string cell, never a formula.

    openpyxl turns any string beginning with "=" into a formula; the quote prefix also keeps
    "+", "-" and "@" text when the cell is edited in Excel."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


@dataclass(frozen=True)
class Formula:
    """A formula cell with no calculated value stored (written by a program, never opened in
    Excel): its value cannot be known, so the import names it rather than reading it as empty."""

    text: str


FORMULA_MESSAGE = "该单元格是公式（{formula}），没有可读取的计算结果，请改为直接填写数值或文字。"


def formula_errors(number: int, cells: dict[str, tuple[str, object]]) -> list[RowError]:
    """The row's formula cells without a value, each named; `cells` maps a header to (letter, raw)."""
    return [
        RowError(number, letter, header, FORMULA_MESSAGE.format(formula=raw.text))
        for header, (letter, raw) in cells.items()
        if isinstance(raw, Formula)
    ]


def cell_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def open_sheet(
    handle, required: list[str], *, expected: str, header_hint: str = ""
) -> tuple[dict[str, tuple[str, int]], Iterator[tuple]]:
    """Open the first sheet of an uploaded .xlsx and read its header row.

    Returns the headers (text -> (column letter, index)) and an iterator over the remaining rows
    (the workbook closes when they are read);
    raises ImportFileError, in the user's words, when the file is not an .xlsx (`expected` says
    what it should be), has no header, or misses a required column."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        handle.seek(0)
        formulas = load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises several unrelated types for a file that is not xlsx
        raise ImportFileError(f"无法读取该文件，请上传{expected}。") from error
    rows = _with_formulas(
        workbook.worksheets[0].iter_rows(values_only=True),
        formulas.worksheets[0].iter_rows(values_only=True),
    )
    header_row = next(rows, None)
    if not header_row:
        raise ImportFileError(f"第1行应为表头{header_hint}，当前为空。")
    headers: dict[str, tuple[str, int]] = {}
    for index, value in enumerate(header_row):
        text = cell_text(value)
        if text and text not in headers:
            headers[text] = (get_column_letter(index + 1), index)
    missing = [h for h in required if h not in headers]
    if missing:
        raise ImportFileError("缺少必需的列：" + "、".join(missing) + "。")
    return headers, _closing((workbook, formulas), rows)


def _with_formulas(values: Iterator[tuple], formulas: Iterator[tuple]) -> Iterator[tuple]:
    """The calculated values, with a Formula in place of each formula cell that has none."""
    for value_row, formula_row in zip(values, formulas, strict=False):
        yield tuple(
            Formula(formula) if value is None and str(formula or "").startswith("=") else value
            for value, formula in zip(value_row, formula_row + (None,) * len(value_row), strict=False)
        )


def _closing(workbooks, rows: Iterator[tuple]) -> Iterator[tuple]:
    # A read-only workbook holds its file open until closed: close it when the rows are read or
    # the reader stops early (the generator is closed then).
    try:
        yield from rows
    finally:
        for workbook in workbooks:
            workbook.close()
