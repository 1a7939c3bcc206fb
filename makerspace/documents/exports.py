"""汇总表 (.xlsx): one row per application with the 附件2 fields, state, level and ranks.

Printed as it comes: A4 landscape fitted to the page width, the header row repeated on every
page, the title in the page header and the unit's 盖章/日期 line in the page footer (kept out of
the grid, so the sheet can still be imported back). User text is written as text, never as a
formula.

openpyxl's write_only mode streams rows to a temporary file and the query is read in chunks, so
memory stays flat whether the sheet has ten rows or ten thousand."""

from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from makerspace.accounts.models import Nature
from makerspace.applications.models import ProvincialFiling
from makerspace.applications.workflow import Level, State
from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import text_safe

from .columns import SUMMARY_COLUMNS

CHUNK = 2000
SERIAL_HEADER, SERIAL_WIDTH = "序号", 6
# Points per wrapped header line at 11 pt, and characters of a CJK label per unit of column width.
LINE_HEIGHT, CJK_WIDTH = 15, 2
SEAL_LINE = "填报单位（盖章）：　　　　　　　　　　　　日期：　　　　年　　月　　日"
LABELS = {
    "state": dict(State.choices),
    "reached_level": dict(Level.choices),
    "provincial_filing": dict(ProvincialFiling.choices),
    "basic_info__operator_nature": dict(Nature.choices),
}


def _cell(path: str, value):
    if value is None:
        return None
    if path in LABELS:
        return str(LABELS[path].get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    return value


def summary_queryset(applications: QuerySet) -> QuerySet:
    return applications.order_by(
        "batch_id", "recommending_unit_id", F("recommender_rank").asc(nulls_last=True), "number"
    ).values_list(*[column.path for column in SUMMARY_COLUMNS])


@in_chinese
def write_summary(applications: QuerySet, target, *, title: str = "汇总表") -> int:
    """Write the sheet of `applications` (already scoped by the caller's permission) to `target`
    (a path or a binary file object). Returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    widths = [SERIAL_WIDTH] + [column.width for column in SUMMARY_COLUMNS]
    headers = [SERIAL_HEADER] + [column.header for column in SUMMARY_COLUMNS]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, title)
    lines = max(len(text) * CJK_WIDTH // width + 1 for text, width in zip(headers, widths, strict=True))
    sheet.row_dimensions[1].height = LINE_HEIGHT * lines  # a write-only sheet takes it before the row
    sheet.freeze_panes = "D2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.append(cell)
    sheet.append(header)
    paths = [column.path for column in SUMMARY_COLUMNS]
    count = 0
    for row in summary_queryset(applications).iterator(chunk_size=CHUNK):
        count += 1
        cells = [count] + [_cell(path, value) for path, value in zip(paths, row, strict=True)]
        sheet.append([text_safe(WriteOnlyCell(sheet, value=value)) for value in cells])
    workbook.save(target)
    return count


def _print_setup(sheet, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as long as needed
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddHeader.center.text = f"专业化众创空间备案推荐{title}"
    sheet.oddHeader.center.size = 14
    sheet.oddFooter.left.text = SEAL_LINE
    sheet.oddFooter.right.text = "第 &P 页 / 共 &N 页"


def export_filename(scope: str) -> str:
    return f"汇总表-{scope}-{date.today():%Y%m%d}.xlsx"
