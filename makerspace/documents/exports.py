"""汇总表 (.xlsx): one row per application with the 附件2 fields, state, level and ranks.

Two sheets. The first holds every column (49) and is the one an import reads back: A3 landscape
fitted to the page width, the header row repeated on every page, the title in the page header and
the unit's 盖章/日期 line in the page footer (kept out of the grid). The second, 打印版, is made to be
read on A4: a title row, 序号 and the columns an official checks (PRINT_COLUMNS), wrapped text in
rows tall enough to show it, the header repeated on every page and the 盖章/日期 line under the last
row. User text is written as text, never as a formula.

openpyxl's write_only mode streams rows to a temporary file per sheet and the query is read in
chunks, so memory stays flat whether the sheet has ten rows or ten thousand."""

import math
import unicodedata
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from makerspace.accounts.models import Nature
from makerspace.applications.models import ProvincialFiling
from makerspace.applications.workflow import Level, State
from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import text_safe

from .columns import PRINT_COLUMNS, SUMMARY_COLUMNS, PrintColumn

CHUNK = 2000
SERIAL_HEADER, SERIAL_WIDTH = "序号", 6
# Points per wrapped header line at 11 pt, and characters of a CJK label per unit of column width.
LINE_HEIGHT, CJK_WIDTH = 15, 2
SEAL_LINE = "填报单位（盖章）：　　　　　　　　　　　　日期：　　　　年　　月　　日"
PRINT_SHEET = "打印版"
# The print sheet's font (an official's Excel or WPS has 宋体), its size, and the points of one line
# of it (the cell's padding apart).
PRINT_FONT, PRINT_FONT_SIZE, PRINT_LINE_HEIGHT, PRINT_PADDING = "宋体", 10, 13.5, 4
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
    """Write the sheets of `applications` (already scoped by the caller's permission) to `target`
    (a path or a binary file object). Returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    printed = _PrintSheet(workbook.create_sheet(PRINT_SHEET), f"专业化众创空间备案推荐{title}")
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
        printed.append(count, dict(zip(paths, cells[1:], strict=True)))
    printed.close()
    workbook.save(target)
    return count


class _PrintSheet:
    """The 打印版 sheet, written row by row beside the data sheet."""

    def __init__(self, sheet, title: str):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        self.sheet = sheet
        self.columns: list[PrintColumn] = PRINT_COLUMNS
        self.last = get_column_letter(len(self.columns))
        self.font = Font(name=PRINT_FONT, size=PRINT_FONT_SIZE)
        self.border = Border(*(Side(style="thin"),) * 4)
        self.text = Alignment(wrap_text=True, vertical="center")
        self.centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        _page_setup(sheet, paper="9", title_rows="2:2")
        sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
        self.rows = 0
        self._line(title, size=16, height=30, bold=True)
        bold = Font(name=PRINT_FONT, size=PRINT_FONT_SIZE, bold=True)
        fill = PatternFill("solid", fgColor="F2F2F2")
        headers = [column.header for column in self.columns]
        self._append(headers, [self.centred] * len(headers), font=bold, fill=fill)

    def append(self, serial: int, values: dict) -> None:
        cells = [serial] + [column.value(values) for column in self.columns[1:]]
        self._append(cells, [self.centred if c.numeric else self.text for c in self.columns])

    def close(self) -> None:
        self.rows += 1
        self.sheet.append([])  # a blank row between the table and the seal
        self._line(SEAL_LINE, size=12, height=36)

    def _append(self, values: list, alignments: list, *, font=None, fill=None) -> None:
        from openpyxl.cell import WriteOnlyCell

        self.rows += 1
        lines = max(_lines(value, column.width) for value, column in zip(values, self.columns, strict=True))
        self.sheet.row_dimensions[self.rows].height = PRINT_LINE_HEIGHT * lines + PRINT_PADDING
        cells = []
        for value, alignment in zip(values, alignments, strict=True):
            cell = text_safe(WriteOnlyCell(self.sheet, value=value))
            cell.font, cell.alignment, cell.border = font or self.font, alignment, self.border
            if fill is not None:
                cell.fill = fill
            cells.append(cell)
        self.sheet.append(cells)

    def _line(self, text: str, *, size: int, height: float, bold: bool = False) -> None:
        """A line of text across the table's width: the title (bold, centred), the seal line."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        self.rows += 1
        self.sheet.row_dimensions[self.rows].height = height
        self.sheet.merged_cells.add(f"A{self.rows}:{self.last}{self.rows}")
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.font = Font(name=PRINT_FONT, size=size, bold=bold)
        where = {"horizontal": "center"} if bold else {"horizontal": "left", "indent": 2}
        cell.alignment = Alignment(vertical="center", **where)
        self.sheet.append([cell])


def _lines(value, width: int) -> int:
    """How many lines `value` wraps to in a column `width` characters wide (a CJK character being
    two), so the row is given their height rather than left to the program that opens the file."""
    if value is None:
        return 1
    room = max(width - 1, 1)  # the cell's own margins
    return sum(
        max(1, math.ceil(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in part) / room))
        for part in str(value).split("\n")
    )


def _print_setup(sheet, title: str) -> None:
    _page_setup(sheet, paper="8", title_rows="1:1")  # A3: 49 columns
    sheet.oddHeader.center.text = f"专业化众创空间备案推荐{title}"
    sheet.oddHeader.center.size = 14
    sheet.oddFooter.left.text = SEAL_LINE
    sheet.oddFooter.right.text = "第 &P 页 / 共 &N 页"


def _page_setup(sheet, *, paper: str, title_rows: str) -> None:
    """Landscape on `paper` (9 A4, 8 A3), one page wide and as long as needed, `title_rows`
    repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def export_filename(scope: str) -> str:
    return f"汇总表-{scope}-{date.today():%Y%m%d}.xlsx"
