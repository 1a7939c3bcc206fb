"""Issue 12: the two letters in the layout of GB/T 9704-2012, citing the batch's own notice.

Read back from the .docx and the PDF: the issuing organ's mark, the letter's own 文号 (set per unit
and batch), the title broken after the organ's name and never inside a word, the addressee, the
body citing the batch's notice title and 文号, the 附件 list, signature and date, 联系人 and 电话,
抄送; the table keeps each 申报编号 whole."""

import io

import pytest
from docx import Document

from makerspace.documents import services
from makerspace.documents.models import Format, Kind, LetterSettings
from makerspace.reviews import chain

from .helpers import docx_text, pdf_text, squeeze
from .test_render import _recommended

pytestmark = pytest.mark.django_db


def _unit_letter(world, fmt):
    return services.letter_document(
        user=world.recommender,
        kind=Kind.RECOMMENDATION_LETTER,
        fmt=fmt,
        batch=world.batch,
        recommending_unit=world.unit,
    )


def _province_letter(world, fmt):
    return services.letter_document(
        user=world.province, kind=Kind.PROVINCE_LETTER, fmt=fmt, batch=world.batch
    )


def _text(rendered) -> str:
    return squeeze(
        docx_text(rendered.data) if rendered.filename.endswith(".docx") else pdf_text(rendered.data)
    )


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_letters_cite_the_batchs_own_notice_title_and_number(world, fmt):
    world.batch.title = "2026年国家专业化众创空间备案推荐"
    world.batch.document_number = "苏科高发〔2026〕88号"
    world.batch.save()
    LetterSettings.objects.create(
        batch=world.batch, notice_title="省科技厅关于组织开展2026年国家专业化众创空间备案推荐工作的通知"
    )
    application = _recommended(world, 1)
    world.advance(application, "deliver", "receive", "pass_formal_review", "select")
    for rendered in (_unit_letter(world, fmt), _province_letter(world, fmt)):
        text = _text(rendered)
        assert (
            "《省科技厅关于组织开展2026年国家专业化众创空间备案推荐工作的通知》（苏科高发〔2026〕88号）"
            in text
        )
        assert "2018" not in text and "169号" not in text


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_letter_in_the_official_document_layout_with_its_own_number_contact_and_cc(world, fmt):
    LetterSettings.objects.create(
        batch=world.batch,
        recommending_unit=world.unit,
        letter_number="宁科函〔2026〕17号",
        contact_name="周联络",
        contact_phone="025-68787654",
        cc="江苏省科技资源统筹服务中心",
    )
    application = _recommended(world, 1)
    world.advance(application, "deliver")
    text = _text(_unit_letter(world, fmt))
    order = [
        squeeze(world.unit.name),  # the issuing organ's mark
        "宁科函〔2026〕17号",
        f"关于推荐{world.batch.year}年国家专业化众创空间备案的函",
        "江苏省科学技术厅：",
        "附件：1.",
        "（联系人：周联络，电话：025-68787654）",
        "抄送：江苏省科技资源统筹服务中心。",
    ]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert application.space.name in text and application.number in text


def test_letter_title_is_broken_after_the_organ_not_inside_a_word(world):
    application = _recommended(world, 1)
    world.advance(application, "deliver")
    title_tail = f"{world.batch.year}年国家专业化众创空间备案的函"
    lines = [line.strip() for line in pdf_text(_unit_letter(world, Format.PDF).data).splitlines()]
    assert title_tail in lines
    document = Document(io.BytesIO(_unit_letter(world, Format.DOCX).data))
    title = next(p for p in document.paragraphs if title_tail in p.text)
    assert title.text.split("\n") == [f"{world.unit.name}关于推荐", title_tail]


def test_letter_table_keeps_each_application_number_whole(world):
    applications = [_recommended(world, rank) for rank in (1, 2)]
    chain.deliver(applications, world.recommender)
    lines = [line.strip() for line in pdf_text(_unit_letter(world, Format.PDF).data).splitlines()]
    for application in applications:
        assert any(application.number in line for line in lines), application.number
    document = Document(io.BytesIO(_unit_letter(world, Format.DOCX).data))
    table = document.tables[0]
    for row in table.rows[1:]:
        cell = row.cells[-1]
        assert (
            cell._tc.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}noWrap")
            is not None
        )
        assert cell.width.cm >= 2.8


def test_letter_pdf_keeps_the_rank_header_and_the_verification_word_whole(world):
    """Seen in the rendered letters: the table's first header printed as 推荐排/序 and the footer's
    核验 broke over two lines."""
    application = _recommended(world, 1)
    world.advance(application, "deliver")
    text = pdf_text(_unit_letter(world, Format.PDF).data)
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith("推荐排序") for line in lines), lines
    assert "核验" in text and "核\n验" not in text


def test_letter_docx_footer_counts_the_pages_as_the_pdf_does(world):
    """Seen in the rendered letters: the PDF footer read 第 1 页 / 共 2 页, the .docx only 第 1 页."""
    from .helpers import docx_xml

    application = _recommended(world, 1)
    world.advance(application, "deliver")
    assert "共 2 页" in pdf_text(_unit_letter(world, Format.PDF).data)
    document = Document(io.BytesIO(_unit_letter(world, Format.DOCX).data))
    footer = document.sections[0].footer
    footer = "".join(cell.text for table in footer.tables for row in table.rows for cell in row.cells)
    assert "页 / 共" in footer
    assert " NUMPAGES " in docx_xml(_unit_letter(world, Format.DOCX).data)
