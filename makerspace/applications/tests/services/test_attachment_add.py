"""Uploads are checked by their bytes, stored under a name the system chooses, and hashed."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from makerspace.applications import services
from makerspace.applications.models import Attachment
from makerspace.applications.tests.helpers import image_bytes, jpeg_upload, pdf_upload, png_upload
from makerspace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def add(world, application, upload, kind=Attachment.Kind.EVIDENCE):
    return services.attachment_add_by_applicant(
        user=world.applicant, application=application, kind=kind, title="", upload=upload
    )


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (pdf_upload, "application/pdf"),
        (png_upload, "image/png"),
        (jpeg_upload, "image/jpeg"),
        (lambda: jpeg_upload("scan.JPEG"), "image/jpeg"),
    ],
)
def test_pdf_jpg_and_png_are_accepted_and_hashed(world, upload, content_type):
    application = world.draft()
    attachment = add(world, application, upload())
    assert attachment.content_type == content_type
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored)
    assert attachment.title == Attachment.Kind.EVIDENCE.label
    event = AuditEvent.objects.get(action="attachment.upload", target_id=str(attachment.pk))
    assert event.payload["sha256"] == attachment.sha256


def test_the_file_name_is_never_used_as_the_storage_path(world):
    application = world.draft()
    attachment = add(world, application, pdf_upload("../../../etc/passwd 营业执照.pdf"))
    assert attachment.original_name.endswith("营业执照.pdf")
    assert attachment.file.name.startswith(f"applications/{application.pk}/")
    stored_name = attachment.file.name.rsplit("/", 1)[1]
    assert len(stored_name) == 32 and all(c in "0123456789abcdef" for c in stored_name)
    assert "营业执照" not in attachment.file.name and ".." not in attachment.file.name


def test_two_uploads_of_the_same_name_get_different_storage_names(world):
    application = world.draft()
    first = add(world, application, pdf_upload("a.pdf"))
    second = add(world, application, pdf_upload("a.pdf"))
    assert first.file.name != second.file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.pdf", image_bytes("PNG"), "与文件内容（image/png）不符"),
        (
            "setup.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            "文件内容不是PDF、JPG 或 PNG",
        ),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "只能上传PDF、JPG 或 PNG文件"),
        ("notes.pdf", "这是一段文字，不是PDF。".encode() * 10, "文件内容不是PDF、JPG 或 PNG"),
        ("empty.pdf", b"", "文件为空"),
    ],
)
def test_files_whose_bytes_are_not_allowed_are_refused_with_a_clear_message(world, name, content, message):
    application = world.draft()
    with pytest.raises(ValidationError) as caught:
        add(world, application, SimpleUploadedFile(name, content))
    assert message in caught.value.messages[0]
    assert not application.attachments.exists()


def test_an_oversized_file_is_refused(world, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    application = world.draft()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        add(world, application, big)
    assert caught.value.messages == ["文件大小为1.0 MB，超过1 MB的上限。"]
    assert not application.attachments.exists()


def test_the_applicant_cannot_upload_the_supervisors_commitment(world):
    application = world.draft()
    with pytest.raises(PermissionDenied):
        add(world, application, pdf_upload(), kind=Attachment.Kind.SUPERVISOR_COMMITMENT)


def test_a_removed_file_is_retired_not_deleted(world):
    application = world.draft()
    attachment = add(world, application, pdf_upload())
    services.attachment_remove(user=world.applicant, application=application, attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.retired_at is not None
    assert attachment.file.storage.exists(attachment.file.name)
    assert AuditEvent.objects.filter(action="attachment.remove", target_id=str(attachment.pk)).exists()
