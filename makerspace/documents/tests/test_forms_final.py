"""Issue 12: documents that need no hand work: the .docx layout (watermark, label widths, cell
margins and centring, rows with room to write), 附件4 left blank where it is signed by hand, a 草稿
refused as a sealed scan, and the notice and its blank forms on the public site."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from makerspace.documents import content, services
from makerspace.documents.models import Format, Kind
from makerspace.reviews import services as review_services
from makerspace.reviews.models import UnitSubmission

from .helpers import docx_text, docx_xml, pdf_text, squeeze
from .test_render import _recommended

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(world, application, kind):
    return services.application_document(
        user=world.applicant, application=application, kind=kind, fmt=Format.DOCX
    )


def test_docx_draft_watermark_is_page_sized_in_libreoffice(world):
    xml = docx_xml(_docx(world, world.complete_draft(), Kind.BASIC_INFO).data)
    assert 'string="草稿"' in xml
    assert "font-size:1pt" not in xml and "font-size:96pt" in xml and "width:400pt" in xml


def test_basic_info_label_columns_are_wide_with_padding_and_vertical_centring(world, submitted):
    document = Document(io.BytesIO(_docx(world, submitted, Kind.BASIC_INFO).data))
    table = document.tables[0]
    widths = [round(column.width.cm, 1) for column in table.columns]
    assert widths == content.BASIC_INFO_WIDTHS_CM
    assert widths[0] > widths[1] and widths[2] > widths[3]
    properties = table._tbl.tblPr
    assert properties.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    margins = properties.find(f"{W}tblCellMar")
    assert int(margins.find(f"{W}top").get(f"{W}w")) > 0 and int(margins.find(f"{W}left").get(f"{W}w")) > 0
    for row in table.rows:
        for cell in row.cells:
            assert cell._tc.tcPr.find(f"{W}vAlign").get(f"{W}val") == "center"


def test_yes_no_box_and_its_word_never_split(world, submitted):
    text = docx_text(_docx(world, submitted, Kind.BASIC_INFO).data)
    assert "☐\u00a0否" in text and "☑\u00a0是" in text


def test_blank_forms_have_rows_with_room_to_write_by_hand(db):
    document = Document(io.BytesIO(services.blank_form(2).data))
    for row in document.tables[0].rows:
        assert row.height is not None and row.height.cm >= content.BLANK_ROW_CM - 0.01


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_applicant_commitment_leaves_signature_and_date_blank(world, submitted, fmt):
    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.COMMITMENT_APPLICANT, fmt=fmt
    )
    text = squeeze(docx_text(rendered.data) if fmt == Format.DOCX else pdf_text(rendered.data))
    assert submitted.commitment_signatory not in text
    assert squeeze(content.BLANK_DATE) in text
    assert f"{submitted.commitment_signed_at.year}年" not in text


def test_a_watermarked_draft_letter_uploaded_as_sealed_is_refused(world):
    application = _recommended(world, 1)
    draft = services.letter_document(
        user=world.recommender,
        kind=Kind.RECOMMENDATION_LETTER,
        fmt=Format.PDF,
        batch=world.batch,
        recommending_unit=application.recommending_unit,
    )
    assert draft.is_draft
    submission = review_services.unit_submission_open(batch=world.batch, unit=world.unit)
    upload = SimpleUploadedFile("letter.pdf", draft.data, content_type="application/pdf")
    with pytest.raises(ValidationError, match="草稿"):
        review_services.unit_letter_upload(user=world.recommender, submission=submission, upload=upload)
    assert not UnitSubmission.objects.get(pk=submission.pk).has_letter


def test_the_notice_is_published_and_the_blank_forms_are_linked(client, db):
    home = client.get(reverse("public:home")).content.decode()
    assert reverse("public:notice") in home and reverse("public:blank_forms") in home
    notice = squeeze(client.get(reverse("public:notice")).content.decode())
    for text in (
        "苏科高发〔2018〕169号",
        "省科技厅关于组织开展2018年国家专业化众创空间备案推荐工作的通知",
        "（此件主动公开）",
        "四、联系人及联系方式",
    ):
        assert squeeze(text) in notice
    assert reverse("public:blank_forms") in notice


def test_demo_applications_get_content_of_their_own_field(world):
    robotics = world.complete_draft(name="工业机器人专业化众创空间")
    pharma = world.complete_draft(name="创新药物研发专业化众创空间")
    text = docx_text(_docx(world, robotics, Kind.BASIC_INFO).data)
    assert "智能制造（工业机器人）" in text and "药谷" not in text and "南京医药集团" not in text
    assert "生物医药" in docx_text(_docx(world, pharma, Kind.BASIC_INFO).data)
    report = docx_text(_docx(world, robotics, Kind.REPORT).data)
    assert "工业机器人" in report and "临床" not in report
