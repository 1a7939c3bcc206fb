"""汇总表 (.xlsx): one row per application with the 附件2 fields, state, level and ranks.

openpyxl's write_only mode streams rows to a temporary file and the query is read in chunks, so
memory stays flat whether the sheet has ten rows or ten thousand."""

from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from makerspace.accounts.models import Nature
from makerspace.applications.models import ProvincialFiling
from makerspace.applications.workflow import Level, State
from makerspace.core.i18n import in_chinese

from .columns import SUMMARY_COLUMNS

CHUNK = 2000
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
    for index, column in enumerate(SUMMARY_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    header = []
    for column in SUMMARY_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    paths = [column.path for column in SUMMARY_COLUMNS]
    count = 0
    for row in summary_queryset(applications).iterator(chunk_size=CHUNK):
        sheet.append([_cell(path, value) for path, value in zip(paths, row, strict=True)])
        count += 1
    workbook.save(target)
    return count


def export_filename(scope: str) -> str:
    return f"汇总表-{scope}-{date.today():%Y%m%d}.xlsx"
