"""Issue 12: spreadsheets that go out as they are and come back without a 500.

An exported cell made from user text that begins with = + - @ is text, never a formula; the 汇总表
prints on landscape pages fitted to the width, titled, numbered and with a 盖章/日期 line; an import
names a bad choice or a formula cell by row and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from makerspace.core.demo import demo_credit_code
from makerspace.credit.tests.helpers import bad_record
from makerspace.documents import services
from makerspace.documents.exports import write_summary
from makerspace.documents.models import ApplicationImport
from makerspace.documents.selectors import summary_applications

from .test_imports import HEADERS, good_row

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "=1+1", "+86-025", "-5岁", "@SUM(A1)"]


def _summary(user) -> bytes:
    buffer = io.BytesIO()
    write_summary(summary_applications(user), buffer)
    return buffer.getvalue()


def test_summary_cells_from_user_text_beginning_with_formula_characters_are_text(world):
    for text in HOSTILE:
        application = world.submitted()
        info = application.basic_info
        info.address = text
        info.save()
    sheet = load_workbook(io.BytesIO(_summary(world.applicant))).worksheets[0]
    column = next(cell.column for cell in sheet[1] if cell.value == "单位地址")
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert sorted(cell.value for cell in cells) == sorted(HOSTILE)
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)


def test_credit_export_cells_beginning_with_formula_characters_are_text(world, client):
    record = bad_record(world, demo_credit_code(881_001), '=HYPERLINK("http://evil.example")')
    record.reason = "=1+1"
    record.save(update_fields=["reason"])
    client.force_login(world.province)
    response = client.get(reverse("credit:export", args=["xlsx"]), {"status": "all"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    for text in ('=HYPERLINK("http://evil.example")', "=1+1"):
        assert values[text].data_type == "s" and values[text].quotePrefix


def test_summary_prints_landscape_fitted_to_width_with_title_print_titles_and_seal_line(world):
    world.submitted()
    sheet = load_workbook(io.BytesIO(_summary(world.applicant))).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 8  # A3: the 49 columns (打印版 is the A4 sheet)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert "汇总表" in sheet.oddHeader.center.text
    assert "盖章" in sheet.oddFooter.left.text and "日期" in sheet.oddFooter.left.text
    assert sheet["A1"].value == "序号" and sheet["A2"].value == 1
    # the header row is tall enough for its wrapped labels, so no label is clipped in print
    lines = max(
        len(str(cell.value)) * 2 // sheet.column_dimensions[cell.column_letter].width + 1 for cell in sheet[1]
    )
    assert lines > 1 and sheet.row_dimensions[1].height >= 15 * lines


def _upload(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADERS, "省级众创空间备案情况"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def test_import_of_an_unknown_nature_or_filing_answers_with_row_and_column_not_500(world, client):
    row = good_row(world, 1)
    row[4] = "合资企业"
    client.force_login(world.recommender)
    response = client.post(
        reverse("documents:import"), {"batch": world.batch.pk, "file": _upload([[*row, "已备案过"]])}
    )
    assert response.status_code == 302
    pending = ApplicationImport.objects.get()
    where = {(e["row"], e["column"], e["header"]) for e in pending.errors}
    assert (2, "E", "运营主体性质") in where and (2, "J", "省级众创空间备案情况") in where
    message = next(e["message"] for e in pending.errors if e["header"] == "运营主体性质")
    assert "企业（民营）" in message


def test_import_command_of_an_unknown_nature_answers_with_row_and_column(world, tmp_path):
    row = good_row(world, 1)
    row[4] = "合资企业"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_upload([row]).read())
    out = io.StringIO()
    call_command(
        "import_applications", str(path), user=world.recommender.username, batch=world.batch.pk, stdout=out
    )
    assert "第2行，E列（运营主体性质）：应为：" in out.getvalue()


def test_import_formula_cells_are_named_as_formulas_not_as_empty(world):
    row = good_row(world, 1)
    row[5] = "=3*4"
    pending = services.import_preview(user=world.recommender, batch=world.batch, upload=_upload([row]))
    messages = {(e["column"], e["message"]) for e in pending.errors}
    assert any(column == "F" and "公式" in message for column, message in messages), messages
    assert not any("请填写" in message for _, message in messages)
