"""Reading a list from the provincial public credit platform (.xlsx) into credit records.

Parsing writes nothing: it returns the valid rows and, for each bad row, its row number, column
and reason. `services.credit_import_confirm` writes the valid rows after the importer has seen
them. The columns are those of the export (docs/integrity.md), so an export can be read back.
"""

from datetime import date, datetime

from makerspace.accounts.credit_code import normalise, problem
from makerspace.core.spreadsheets import (
    ImportFileError,
    ParseResult,
    RowError,
    cell_text,
    formula_errors,
    open_sheet,
)

from .models import CreditRecord

CODE, NAME, KIND, REASON, SOURCE, STARTS, ENDS = (
    "统一社会信用代码",
    "单位名称",
    "记录类别",
    "记录事由",
    "依据文件",
    "起始日期",
    "截止日期",
)
REQUIRED_HEADERS = [CODE, NAME, KIND, REASON, SOURCE, STARTS]
MAX_ROWS = 5000
KIND_BY_TEXT = {label: value for value, label in CreditRecord.Kind.choices} | {
    value: value for value in CreditRecord.Kind.values
}


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("日期格式应为2018-07-15或2018年7月15日。")


def _key(row: dict) -> tuple:
    return (row["credit_code"], row["kind"], row["starts_on"], row["source_document"])


def existing_keys(codes: set[str]) -> set[tuple]:
    """Records already in the register for these codes, by (code, kind, start, source)."""
    return {
        (code, kind, starts.isoformat(), source)
        for code, kind, starts, source in CreditRecord.objects.filter(credit_code__in=codes).values_list(
            "credit_code", "kind", "starts_on", "source_document"
        )
    }


def check_row(number: int, cells: dict[str, tuple[str, object]], seen: set[tuple]):
    """`cells` maps a header to (column letter, raw value). Returns (valid row or None, errors)."""
    errors: list[RowError] = []

    def fail(header: str, message: str) -> None:
        errors.append(RowError(number, cells.get(header, ("", None))[0], header, message))

    def raw(header: str):
        return cells.get(header, ("", None))[1]

    code = normalise(cell_text(raw(CODE)))
    if not code:
        fail(CODE, "请填写统一社会信用代码。")
    elif problem(code):
        fail(CODE, problem(code))
    values = {header: cell_text(raw(header)) for header in (NAME, REASON, SOURCE)}
    for header, text in values.items():
        if not text:
            fail(header, f"请填写{header}。")
    if len(values[NAME]) > 200:
        fail(NAME, "单位名称不能超过200字。")
    if len(values[SOURCE]) > 200:
        fail(SOURCE, "依据文件不能超过200字。")
    kind_text = cell_text(raw(KIND))
    kind = KIND_BY_TEXT.get(kind_text)
    if kind is None:
        fail(KIND, "应为：" + "、".join(CreditRecord.Kind.labels) + "。")
    dates = {}
    for header in (STARTS, ENDS):
        try:
            dates[header] = _date(raw(header))
        except ValueError as error:
            fail(header, str(error))
            dates[header] = None
    if dates[STARTS] is None and not any(e.header == STARTS for e in errors):
        fail(STARTS, "请填写起始日期。")
    if dates[STARTS] and dates[ENDS] and dates[ENDS] < dates[STARTS]:
        fail(ENDS, "截止日期不能早于起始日期。")
    if errors:
        return None, errors
    row = {
        "row": number,
        "credit_code": code,
        "subject_name": values[NAME],
        "kind": kind,
        "reason": values[REASON],
        "source_document": values[SOURCE],
        "starts_on": dates[STARTS].isoformat(),
        "ends_on": dates[ENDS].isoformat() if dates[ENDS] else None,
    }
    if _key(row) in seen:
        fail(CODE, "与本表前面的行或信用记录中已有的记录重复（同一代码、类别、起始日期和依据文件）。")
        return None, errors
    seen.add(_key(row))
    return row, []


def parse_workbook(handle) -> ParseResult:
    """Read an uploaded .xlsx (a file object). Writes nothing."""
    headers, rows = open_sheet(handle, REQUIRED_HEADERS, expected="信用平台导出的 .xlsx 文件")
    body = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(cell_text(v) == "" for v in values):
            continue
        body.append((number, values))
        if len(body) > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行，请分批导入。")
    codes = set()
    for _, values in body:
        index = headers[CODE][1]
        codes.add(normalise(cell_text(values[index] if index < len(values) else None)))
    seen = existing_keys(codes)
    result = ParseResult(total=len(body))
    for number, values in body:
        cells = {
            header: (letter, values[index] if index < len(values) else None)
            for header, (letter, index) in headers.items()
        }
        errors = formula_errors(number, cells)
        row, errors = (None, errors) if errors else check_row(number, cells, seen)
        if row is not None:
            result.rows.append(row)
        result.errors.extend(errors)
    return result
