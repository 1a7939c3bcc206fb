"""The 汇总表 prints: the full data sheet (49 columns) on A3 landscape one page wide, and a second
sheet, 打印版, made for A4: a title row, 序号 and the columns an official checks, the header repeated
on every page, wrapped text in rows tall enough to show it, and the 盖章/日期 line under the table.
User text beginning with = + - @ stays text on both."""

import io

import pytest
from openpyxl import load_workbook

from makerspace.documents.columns import PRINT_COLUMNS
from makerspace.documents.exports import PRINT_LINE_HEIGHT, PRINT_SHEET, SEAL_LINE, write_summary
from makerspace.documents.selectors import summary_applications

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+86-025", "-5岁", "@SUM(A1)"]
HEADERS = [column.header for column in PRINT_COLUMNS]


def _workbook(user):
    buffer = io.BytesIO()
    write_summary(summary_applications(user), buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def _data_rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_data_sheet_prints_on_a3_landscape_one_page_wide(world):
    world.submitted()
    workbook = _workbook(world.applicant)
    assert workbook.sheetnames == ["汇总表", PRINT_SHEET]  # the import reads the first
    sheet = workbook.worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 8  # A3
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"


def test_the_print_sheet_is_a4_landscape_one_page_wide_with_the_header_on_every_page(world):
    world.submitted()
    sheet = _workbook(world.applicant)[PRINT_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$2:$2"
    assert sheet["A1"].value == "专业化众创空间备案推荐汇总表"
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges} and len(HEADERS) == 13
    assert [cell.value for cell in sheet[2]] == HEADERS
    assert HEADERS[:2] == ["序号", "众创空间名称"]
    for header in ("申报单位（运营主体）", "推荐单位", "主管部门", "主要专业方向", "入驻\n企业数"):
        assert header in HEADERS


def test_the_print_rows_are_the_data_rows_with_the_seal_line_under_them(world):
    first, second = world.submitted(), world.submitted()
    world.advance(first, "forward")
    workbook = _workbook(world.supervisor)
    data = _data_rows(workbook.worksheets[0])
    sheet = workbook[PRINT_SHEET]
    printed = [list(row) for row in sheet.iter_rows(min_row=3, max_row=2 + len(data), values_only=True)]
    assert len(data) == 2 and {row["众创空间名称"] for row in data} == {first.space.name, second.space.name}
    for serial, (row, line) in enumerate(zip(data, printed, strict=True), start=1):
        by_header = dict(zip(HEADERS, line, strict=True))
        assert by_header["序号"] == row["序号"] == serial
        assert by_header["众创空间名称"] == row["众创空间名称"]
        assert by_header["申报单位（运营主体）"] == row["运营主体名称"]
        assert by_header["推荐单位"] == row["推荐单位"] and by_header["主管部门"] == row["主管部门"]
        assert by_header["主要专业方向"] == row["主要专业方向"]
        assert by_header["场地面积\n（平方米）"] == row["自主支配场地建筑面积（平方米）"] == 12000
        assert by_header["入驻\n项目数"] == row["入驻项目数"]
        assert by_header["入驻\n企业数"] == row["入驻企业数"]
        assert by_header["推荐\n排序"] == row["推荐排序"]
        # built by an enterprise only (the test data): its name, not the other two kinds
        assert by_header["建设主体"] == f"企业：{row['建设企业详细名称']}"
        assert by_header["联系人及手机"] == f"{row['联系人']}\n{row['联系人联系手机']}"
    seal = 2 + len(data) + 2  # a blank row between the table and the seal line
    assert sheet.max_row == seal and sheet.cell(row=seal, column=1).value == SEAL_LINE
    assert "盖章" in SEAL_LINE and "日期" in SEAL_LINE
    assert f"A{seal}:M{seal}" in {str(r) for r in sheet.merged_cells.ranges}


def test_print_cells_wrap_and_rows_are_as_tall_as_their_longest_text(world):
    short = world.submitted()
    long = world.submitted()
    info = long.basic_info
    info.operator_name = "江苏省" + "某某" * 30 + "有限公司"  # 66 characters in a column of 18
    info.save()
    sheet = _workbook(world.applicant)[PRINT_SHEET]
    rows = {sheet.cell(row=r, column=2).value: r for r in range(3, sheet.max_row + 1)}
    tall, low = rows[long.space.name], rows[short.space.name]
    assert all(cell.alignment.wrap_text for cell in sheet[tall])
    width = sheet.column_dimensions["C"].width
    assert width == 18
    # 66 CJK characters, two units each, in 17 units of room: 8 lines
    assert sheet.row_dimensions[tall].height >= 8 * PRINT_LINE_HEIGHT
    assert sheet.row_dimensions[tall].height > sheet.row_dimensions[low].height
    # every header label fits its row, wrapped
    assert sheet.row_dimensions[2].height >= 2 * PRINT_LINE_HEIGHT


def test_print_cells_from_user_text_beginning_with_formula_characters_are_text(world):
    for text in HOSTILE:
        application = world.submitted()
        info = application.basic_info
        info.operator_name = text
        info.save()
    sheet = _workbook(world.applicant)[PRINT_SHEET]
    column = HEADERS.index("申报单位（运营主体）") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(3, 3 + len(HOSTILE))]
    assert sorted(cell.value for cell in cells) == sorted(HOSTILE)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
