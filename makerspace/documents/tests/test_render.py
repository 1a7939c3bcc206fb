"""附件2–5 and the letters read back from the generated .docx and PDF: every label, heading and
clause of the notice is there, with the data, and drafts carry the 草稿 watermark."""

import pytest

from makerspace.documents import content, services
from makerspace.documents.models import APPLICATION_KINDS, Format, Kind
from makerspace.reviews import chain

from .helpers import docx_text, docx_xml, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def _text(rendered) -> str:
    data = rendered.data
    return squeeze(docx_text(data) if rendered.filename.endswith(".docx") else pdf_text(data))


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_basic_info_has_every_label_of_attachment_2_and_the_data(world, submitted, fmt):
    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.BASIC_INFO, fmt=fmt
    )
    text = _text(rendered)
    for label in content.BASIC_INFO_LABELS:
        assert squeeze(label) in text, label
    assert squeeze("专业化众创空间基础信息表") in text
    assert submitted.space.name in text
    assert "南京医药集团有限公司" in text  # the builder's full name after 是
    assert "☑是（药谷创新云平台）☐否" in text
    assert "☑入驻标准☑退出条件☑在孵项目或企业数据库☐其他：" in text
    assert "2、企业（" in text and "☐5、其它社会组织" in text


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_report_has_the_outline_of_attachment_3_and_structured_cases(world, submitted, fmt):
    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.REPORT, fmt=fmt
    )
    text = _text(rendered)
    for chapter, items in content.REPORT_OUTLINE:
        assert squeeze(chapter) in text, chapter
        for heading, _ in items:
            assert squeeze(heading) in text, heading
    assert squeeze("国家专业化众创空间备案申报书") in text
    assert "建设主体为省属医药龙头企业" in text
    for number in (1, 2, 3):
        assert f"案例{number}：成功案例{number}" in text
        assert f"示范生物科技有限公司{number}" in text
    for _, caption in content.CASE_FIELDS:
        assert squeeze(caption) in text


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_commitments_have_every_clause_and_the_signature_blocks(world, submitted, fmt):
    applicant = _text(
        services.application_document(
            user=world.applicant, application=submitted, kind=Kind.COMMITMENT_APPLICANT, fmt=fmt
        )
    )
    for line in [content.APPLICANT_COMMITMENT["intro"], *content.APPLICANT_COMMITMENT["clauses"]]:
        assert squeeze(line) in applicant
    assert "运营主体法人（签字或盖章）：" in applicant and "王法人" not in applicant  # signed by hand
    assert "主营主体（公章）：" in applicant
    assert squeeze(content.BLANK_DATE) in applicant  # dated by hand, like the signature

    supervisor = _text(
        services.application_document(
            user=world.applicant, application=submitted, kind=Kind.COMMITMENT_SUPERVISOR, fmt=fmt
        )
    )
    for line in [content.SUPERVISOR_COMMITMENT["intro"], *content.SUPERVISOR_COMMITMENT["clauses"]]:
        assert squeeze(line) in supervisor
    assert "（公章）" in supervisor
    assert "____年____月____日" in supervisor  # not yet signed by the supervising department


def test_supervisor_commitment_carries_the_date_it_was_forwarded(world, submitted):
    world.advance(submitted, "forward")
    text = _text(
        services.application_document(
            user=world.supervisor, application=submitted, kind=Kind.COMMITMENT_SUPERVISOR, fmt=Format.PDF
        )
    )
    assert "____年" not in text
    event = submitted.events.get(transition="forward")
    assert content.chinese_date(event.at) in text


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_a_draft_is_watermarked_and_issues_nothing(world, fmt):
    draft = world.complete_draft()
    rendered = services.application_document(
        user=world.applicant, application=draft, kind=Kind.BASIC_INFO, fmt=fmt
    )
    assert rendered.is_draft
    assert "草稿" in _text(rendered)
    if fmt == Format.DOCX:
        assert 'string="草稿"' in docx_xml(rendered.data)  # the diagonal watermark shape
    assert not draft.issued_documents.exists()


def test_submitted_documents_carry_number_version_and_verification_code(world, submitted):
    for kind in APPLICATION_KINDS:
        for fmt in (Format.DOCX, Format.PDF):
            rendered = services.application_document(
                user=world.applicant, application=submitted, kind=kind, fmt=fmt
            )
            text = _text(rendered)
            assert rendered.issued is not None
            assert submitted.number in text
            assert "第1版" in text
            assert rendered.issued.code in text
            assert "草稿" not in text
    assert submitted.issued_documents.count() == len(APPLICATION_KINDS) * 2


def test_blank_forms_are_empty_and_complete(db):
    basic = squeeze(docx_text(services.blank_form(2).data))
    for label in content.BASIC_INFO_LABELS:
        assert squeeze(label) in basic
    assert "☑" not in basic and "草稿" not in basic
    report = squeeze(docx_text(services.blank_form(3).data))
    assert squeeze("2. 3-5个成功案例") in report
    assert squeeze(content.APPLICANT_COMMITMENT["clauses"][1]) in squeeze(
        docx_text(services.blank_form(4).data)
    )
    supervisor = squeeze(docx_text(services.blank_form(5).data))
    assert "____年____月____日" in supervisor
    guideline = squeeze(docx_text(services.blank_form(1).data))
    assert "七是专业化众创空间与建设主体之间具有良性互动机制" in guideline


def _recommended(world, rank: int):
    application = world.submitted()
    world.advance(application, "forward", "recommend")
    application.recommender_rank = rank
    application.save(update_fields=["recommender_rank"])
    return application


def test_recommendation_letter_lists_the_units_applications_in_rank_order(world):
    second = _recommended(world, 2)
    first = _recommended(world, 1)
    draft = services.letter_document(
        user=world.recommender,
        kind=Kind.RECOMMENDATION_LETTER,
        fmt=Format.PDF,
        batch=world.batch,
        recommending_unit=world.unit,
    )
    assert draft.is_draft  # not yet delivered
    text = squeeze(pdf_text(draft.data))
    assert "江苏省科学技术厅：" in text
    assert text.index(first.space.name) < text.index(second.space.name)
    assert "现推荐以下2家" in text
    chain.deliver([first, second], world.recommender)
    final = services.letter_document(
        user=world.recommender,
        kind=Kind.RECOMMENDATION_LETTER,
        fmt=Format.DOCX,
        batch=world.batch,
        recommending_unit=world.unit,
    )
    assert final.issued is not None
    final_text = squeeze(docx_text(final.data))
    assert final.issued.code in final_text and "草稿" not in final_text
    assert final_text.index(first.number) < final_text.index(second.number)


def test_province_letter_goes_to_the_ministry_in_province_rank_order(world):
    chosen = []
    for rank in (2, 1):
        application = _recommended(world, rank)
        world.advance(application, "deliver", "receive", "pass_formal_review", "select")
        application.province_rank = rank
        application.save(update_fields=["province_rank"])
        chosen.append(application)
    rendered = services.letter_document(
        user=world.province, kind=Kind.PROVINCE_LETTER, fmt=Format.PDF, batch=world.batch
    )
    text = squeeze(pdf_text(rendered.data))
    assert "科学技术部：" in text
    assert rendered.issued is not None  # nothing left to choose: the letter is final
    assert text.index(chosen[1].space.name) < text.index(chosen[0].space.name)


def test_a_case_is_never_split_over_two_pages(world, submitted):
    """Seen in the rendered 附件3: case 3's name ended page 2 and its other rows began page 3 (PDF),
    its heading ended page 2 alone (.docx)."""
    import io

    from docx import Document
    from pypdf import PdfReader

    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.REPORT, fmt=Format.PDF
    )
    first, last = squeeze(content.CASE_FIELDS[0][1]), squeeze(content.CASE_FIELDS[-1][1])
    for page in PdfReader(io.BytesIO(rendered.data)).pages:
        text = squeeze(page.extract_text() or "")
        assert text.count(first) == text.count(last) == text.count("：成功案例"), text
    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.REPORT, fmt=Format.DOCX
    )
    document = Document(io.BytesIO(rendered.data))
    headings = [p for p in document.paragraphs if "：成功案例" in p.text]
    assert len(headings) == 3 and all(p.paragraph_format.keep_with_next for p in headings)
    cases = [t for t in document.tables if len(t.rows) == len(content.CASE_FIELDS)]
    assert len(cases) == 3
    for table in cases:
        rows = table.rows[:-1]
        assert all(p.paragraph_format.keep_with_next for r in rows for c in r.cells for p in c.paragraphs)
