"""The bound PDF of a version: cover, contents, 附件2–5, every uploaded file, numbered throughout."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from makerspace.applications import services as application_services
from makerspace.applications.models import Attachment
from makerspace.documents import services
from makerspace.documents.models import Kind

from .helpers import squeeze

pytestmark = pytest.mark.django_db


def png(width=800, height=600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "steelblue").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(pages: int, size=(612, 792)) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=size[0], height=size[1])  # US Letter: not A4
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _with_files(world):
    application = world.complete_draft()
    for title, name, raw, kind in [
        ("场地照片", "photo.png", png(), "image/png"),
        ("入驻企业名单", "list.pdf", pdf(3), "application/pdf"),
    ]:
        application_services.attachment_add_by_applicant(
            user=world.applicant,
            application=application,
            kind=Attachment.Kind.EVIDENCE,
            title=title,
            upload=SimpleUploadedFile(name, raw, content_type=kind),
        )
    application.refresh_from_db()
    application_services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application_services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    return application


def test_package_binds_everything_with_page_numbers_and_contents(world):
    application = _with_files(world)
    rendered = services.package_document(user=world.applicant, application=application)
    reader = PdfReader(io.BytesIO(rendered.data))
    total = len(reader.pages)
    texts = [squeeze(page.extract_text() or "") for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页/共{total}页" in text, number
    front = texts[0] + texts[1]
    assert application.number in front and "目录" in front
    for title in [
        "附件2专业化众创空间基础信息表",
        "附件4申报单位信用承诺书",
        "场地照片",
        "入驻企业名单",
    ]:
        assert title in front
    assert rendered.issued.code in texts[0]
    # the 3 pages of the uploaded PDF and the image page are the last four, after the generated ones
    # the uploaded US Letter pages are fitted onto A4
    assert [round(float(p.mediabox.width), 2) for p in reader.pages[-3:]] == [595.28, 595.28, 595.28]
    assert "专业化众创空间基础信息表" in "".join(texts[2:4])
    assert [o.title for o in reader.outline][:2] == [
        "附件2 专业化众创空间基础信息表",
        "附件3 国家专业化众创空间备案申报书",
    ]


def test_package_of_a_draft_is_watermarked_and_not_issued(world):
    application = world.complete_draft()
    rendered = services.package_document(user=world.applicant, application=application)
    assert rendered.is_draft
    assert "草稿" in squeeze(PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text())


def test_a_file_changed_in_storage_is_not_bound_in(world):
    application = _with_files(world)
    photo = application.attachments.get(title="场地照片")
    with photo.file.open("wb") as handle:
        handle.write(png(10, 10))
    rendered = services.package_document(user=world.applicant, application=application)
    text = squeeze("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(rendered.data)).pages))
    assert "该文件与提交时记录的校验值不一致" in text
    assert services.IssuedDocument.objects.filter(kind=Kind.PACKAGE).count() == 1
