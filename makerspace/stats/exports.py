"""A dashboard's tables as an .xlsx: one sheet per table, the same numbers as the page and its
charts. Text cells are written as text (makerspace.core.spreadsheets.text_safe): a space's name
that begins with "=" stays a name, never a formula."""

import io

from django.utils import timezone

from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import text_safe

from .figures import Dashboard, Table

# Excel forbids these in sheet titles, and caps them at 31 characters.
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(table: Table, used: set[str]) -> str:
    title = table.title.translate(_TITLE_FORBIDDEN)[:28]
    base, n = title, 2
    while title in used:
        title = f"{base[:26]}_{n}"
        n += 1
    used.add(title)
    return title


@in_chinese
def dashboard_xlsx(dashboard: Dashboard, tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    stamp = timezone.localtime(dashboard.computed_at).strftime("%Y-%m-%d %H:%M")
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table, used))
        sheet.append([table.title])
        sheet.append([f"{dashboard.title} {dashboard.scope} · 统计时间 {stamp}"])
        sheet.append(table.headers)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                text_safe(cell)
        if table.note:
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 40
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 18
    if not tables:
        workbook.create_sheet("无数据").append(["暂无可统计的数据"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
