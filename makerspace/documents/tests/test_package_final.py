"""Issue 12: the bound package an official prints as it comes: the sealed scans bound right after
the generated version of their document and listed by title, a draft's every page marked 草稿, and
pages of any size fitted to A4."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from makerspace.applications import services as application_services
from makerspace.applications.models import Attachment
from makerspace.documents import services

from .helpers import squeeze
from .test_package import _with_files, pdf

pytestmark = pytest.mark.django_db
A4 = (595.28, 841.89)


def _outline(reader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_package_binds_the_sealed_scans_after_the_generated_version_listed_by_title(world):
    application = world.forwarded()  # 附件4 scan uploaded by the applicant, 附件5 scan by the supervisor
    reader = PdfReader(
        io.BytesIO(services.package_document(user=world.supervisor, application=application).data)
    )
    titles = [title for title, _ in _outline(reader)]
    assert titles[:6] == [
        "附件2 专业化众创空间基础信息表",
        "附件3 国家专业化众创空间备案申报书",
        "附件4 申报单位信用承诺书",
        "附件4 申报单位信用承诺书（签字盖章扫描件）",
        "附件5 主管部门信用承诺书",
        "附件5 主管部门信用承诺书（盖章扫描件）",
    ]
    pages = dict(_outline(reader))
    assert pages["附件5 主管部门信用承诺书（盖章扫描件）"] > pages["附件5 主管部门信用承诺书"]
    front = squeeze(reader.pages[0].extract_text() + reader.pages[1].extract_text())
    assert "附件5主管部门信用承诺书（盖章扫描件）" in front


def test_package_contents_list_titles_not_file_names(world):
    application = _with_files(world)
    reader = PdfReader(
        io.BytesIO(services.package_document(user=world.applicant, application=application).data)
    )
    front = squeeze(reader.pages[0].extract_text() + reader.pages[1].extract_text())
    assert "场地照片" in front and "入驻企业名单" in front
    for name in ("photo.png", "list.pdf", "commitment.pdf"):
        assert name not in front


def test_draft_package_marks_every_uploaded_page_draft(world):
    application = world.complete_draft()
    application_services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="入驻企业名单",
        upload=SimpleUploadedFile("list.pdf", pdf(2), content_type="application/pdf"),
    )
    application.refresh_from_db()
    rendered = services.package_document(user=world.applicant, application=application)
    reader = PdfReader(io.BytesIO(rendered.data))
    for number, page in enumerate(reader.pages, start=1):
        assert "草稿" in squeeze(page.extract_text() or ""), number


def test_letter_size_landscape_upload_is_fitted_to_a4(world):
    application = world.complete_draft()
    application_services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="场地平面图",
        upload=SimpleUploadedFile("plan.pdf", pdf(1, size=(792, 612)), content_type="application/pdf"),
    )
    application.refresh_from_db()
    reader = PdfReader(
        io.BytesIO(services.package_document(user=world.applicant, application=application).data)
    )
    last = reader.pages[-1]
    assert (round(float(last.mediabox.width), 1), round(float(last.mediabox.height), 1)) == (841.9, 595.3)
    for page in reader.pages:
        size = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
        assert size == [595, 842]
