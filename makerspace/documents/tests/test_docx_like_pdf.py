"""The .docx and the PDF of one document look alike (seen side by side in the renders of
scripts/render-documents.sh): the footer is one row, QR code and its lines on the left, the page
count on the right; 附件3's cover has no page number and its values on ruled lines; the letter's
rank and number columns are centred; the stand-in for 方正小标宋简体 is bold, as the PDF's title."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from makerspace.documents.models import Format, Kind

from .test_forms_final import _docx
from .test_letters_final import _recommended, _unit_letter

pytestmark = pytest.mark.django_db


def _row_texts(part):
    (table,) = part.tables
    (row,) = table.rows
    return row.cells


def test_docx_footer_is_one_row_with_the_stamp_left_and_the_page_count_right(world):
    application = world.submitted()
    document = Document(io.BytesIO(_docx(world, application, Kind.BASIC_INFO).data))
    qr, lines, numbers = _row_texts(document.sections[0].footer)
    assert qr._tc.xpath(".//pic:pic")  # the QR code's picture
    assert "核验" in lines.text and application.number in lines.text
    assert "页 / 共" in numbers.text
    assert numbers.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_report_cover_carries_the_stamp_but_no_page_number_and_rules_its_values(world):
    application = world.submitted()
    document = Document(io.BytesIO(_docx(world, application, Kind.REPORT).data))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    qr, lines, numbers = _row_texts(section.first_page_footer)
    assert qr._tc.xpath(".//pic:pic") and "核验" in lines.text and numbers.text == ""
    assert "页 / 共" in _row_texts(section.footer)[2].text
    cover = document.tables[0]
    assert [row.cells[0].text for row in cover.rows][:2] == ["众创空间名称：", "运营主体（盖章）："]
    assert all(row.cells[1]._tc.xpath("./w:tcPr/w:tcBorders/w:bottom") for row in cover.rows)


def test_letter_rank_and_number_columns_are_centred_as_in_the_pdf(world):
    application = _recommended(world, 1)
    world.advance(application, "deliver")
    document = Document(io.BytesIO(_unit_letter(world, Format.DOCX).data))
    (table,) = document.tables
    for row in table.rows[1:]:
        assert row.cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert row.cells[-1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig's fc-match is not installed")
def test_the_title_fonts_stand_in_is_bold_as_the_pdfs_title():
    conf = Path(settings.BASE_DIR) / "config" / "fontconfig" / "fonts.conf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}

    def match(family):
        return subprocess.run(
            ["fc-match", "-f", "%{family[0]}|%{style[0]}", family], env=env, capture_output=True, text=True
        ).stdout

    assert match("方正小标宋简体").endswith("|Bold")
    assert match("仿宋").endswith("|Regular")
