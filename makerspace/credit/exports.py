"""The register exported for the provincial public credit platform: .xlsx and JSON with the
same columns (docs/integrity.md). Reads only."""

import io
import json

from django.utils import timezone

from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import text_safe

from .selectors import EXPORT_COLUMNS, export_rows


@in_chinese
def export_json(records) -> bytes:
    payload = {
        "source": "专业化众创空间备案推荐系统",
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "columns": [{"key": key, "title": title} for key, title in EXPORT_COLUMNS],
        "records": export_rows(records),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode()


@in_chinese
def export_xlsx(records) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "信用记录"
    sheet.append([title for _, title in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(export_rows(records), start=2):
        sheet.append(
            [
                "是" if row[key] is True else "否" if row[key] is False else row[key]
                for key, _ in EXPORT_COLUMNS
            ]
        )
        for cell in sheet[number]:
            text_safe(cell)
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    for letter, width in zip(
        "ABCDEFGHIJKLMN", (10, 22, 30, 18, 22, 50, 30, 12, 12, 12, 16, 18, 30, 22), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet) -> None:
    """Printed, the register is A4 landscape, one page wide, the header row on every page and the
    title in the page header (row 1 stays the header row, so the file still imports back)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddHeader.center.text = "信用记录（专业化众创空间备案推荐系统导出）"
    sheet.oddHeader.center.size = 14
    sheet.oddFooter.right.text = "第 &P 页 / 共 &N 页"
