"""What every spreadsheet import shares: a row's error named by row, column and header, the parse
result, and the reading of a cell as text. Each import (documents, credit) keeps its own columns."""

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


def cell_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()
