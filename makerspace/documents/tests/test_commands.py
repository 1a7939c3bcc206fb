"""The command-line faces: render_document, export_summary, import_applications."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .helpers import docx_text, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def test_render_document_writes_the_issued_file(world, submitted, tmp_path):
    target = tmp_path / "basic.docx"
    out = io.StringIO()
    call_command(
        "render_document",
        application=submitted.number,
        kind="basic_info",
        fmt="docx",
        output=str(target),
        stdout=out,
    )
    code = submitted.issued_documents.get().code
    assert code in out.getvalue()
    assert code in squeeze(docx_text(target.read_bytes()))


def test_render_document_package_and_errors(world, submitted, tmp_path):
    target = tmp_path / "package.pdf"
    call_command(
        "render_document", application=submitted.number, kind="package", fmt="pdf", output=str(target)
    )
    assert submitted.number in pdf_text(target.read_bytes())
    with pytest.raises(CommandError, match="没有申报编号"):
        call_command("render_document", application="ZC0000", kind="report", fmt="pdf", output=str(target))
    with pytest.raises(CommandError, match="没有第9版"):
        call_command(
            "render_document",
            application=submitted.number,
            kind="report",
            fmt="pdf",
            output=str(target),
            version=9,
        )


def test_export_then_import_round_trip_from_the_command_line(world, tmp_path):
    application = world.submitted()
    world.advance(application, "forward")
    sheet = tmp_path / "summary.xlsx"
    call_command("export_summary", user=world.recommender.username, output=str(sheet))
    rows = list(load_workbook(sheet, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == (1, application.number)
    out = io.StringIO()
    call_command(
        "import_applications", str(sheet), user=world.recommender.username, batch=world.batch.pk, stdout=out
    )
    assert "第2行，C列（众创空间名称）：该众创空间在本批次已有申报。" in out.getvalue()
    assert "未写入任何数据" in out.getvalue()
    with pytest.raises(CommandError, match="只有推荐单位或省科技厅"):
        call_command("import_applications", str(sheet), user=world.applicant.username, batch=world.batch.pk)
