"""Upload hardening: type by bytes, extension allow-list, size, PDF structure (pages, encryption,
scripts, actions, embedded files), images re-encoded, names never paths."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from makerspace.applications import services
from makerspace.core.demo import blank_pdf
from makerspace.core.uploads import inspect_upload


def _pdf(pages: int = 1, change=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _refused(data: bytes, name: str = "证明.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as error:
        inspect_upload(_upload(data, name))
    return error.value


def _js_action():
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


# PDFs -----------------------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted_unchanged_with_its_hash():
    data = blank_pdf("ok")
    checked = inspect_upload(_upload(data))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)


def test_a_pdf_opening_at_a_page_is_accepted():
    def open_at_first_page(writer):
        page = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])

    inspect_upload(_upload(_pdf(change=open_at_first_page)))


def _document_javascript(writer):
    script = writer._add_object(_js_action())
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def test_a_pdf_with_document_javascript_is_refused():
    error = _refused(_pdf(change=_document_javascript))
    assert error.code == "pdf_active"
    assert "脚本" in error.messages[0]


def test_a_pdf_running_javascript_on_open_is_refused():
    def on_open(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js_action())

    assert _refused(_pdf(change=on_open)).code == "pdf_active"


def test_a_pdf_with_additional_actions_on_a_page_is_refused():
    def page_action(writer):
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action()})

    error = _refused(_pdf(change=page_action))
    assert "自动触发的动作" in error.messages[0] or "脚本" in error.messages[0]


def test_a_pdf_with_a_launch_action_in_a_link_is_refused():
    def link(writer):
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                NameObject("/A"): DictionaryObject(
                    {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
                ),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    error = _refused(_pdf(change=link))
    assert "启动外部程序" in error.messages[0]


def test_a_pdf_with_an_embedded_file_is_refused():
    error = _refused(_pdf(change=lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00")))
    assert "嵌入的文件" in error.messages[0]


def test_an_encrypted_pdf_is_refused():
    error = _refused(_pdf(change=lambda w: w.encrypt("secret")))
    assert error.code == "pdf_encrypted"
    assert "密码" in error.messages[0]


def test_a_pdf_over_the_page_limit_is_refused(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 3
    inspect_upload(_upload(_pdf(pages=3)))
    error = _refused(_pdf(pages=4))
    assert error.code == "pdf_too_long"
    assert error.messages[0] == "PDF 共4页，超过3页的上限，请拆分后上传。"


def test_the_default_page_limit_is_two_hundred(settings):
    assert settings.UPLOAD_MAX_PDF_PAGES == 200


def test_a_broken_pdf_is_refused_with_a_message():
    error = _refused(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + b"\x00" * 64)
    assert error.code in {"pdf_broken", "pdf_active"}
    assert "PDF" in error.messages[0]


def test_javascript_hidden_behind_an_escaped_name_is_found():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ]
    raw = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(raw))
        raw += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(raw)
    raw += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    raw += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    raw += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    assert PdfReader(io.BytesIO(raw), strict=False).trailer["/Root"]["/OpenAction"]["/S"] == "/JavaScript"
    assert _refused(raw).code == "pdf_active"


# Images ---------------------------------------------------------------------------------------


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (60, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x010E] = "南京市鼓楼区广州路37号"  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"<script>alert(1)</script>")
    return buffer.getvalue()


def test_a_jpeg_is_re_encoded_without_metadata_comments_or_location():
    original = _jpeg_with_exif()
    assert b"SecretCamera" in original and b"<script>" in original
    upload = _upload(original, "照片.jpg")
    checked = inspect_upload(upload)
    stored = upload.read()
    assert checked.content_type == "image/jpeg"
    assert stored != original
    assert b"SecretCamera" not in stored and b"<script>" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.size == len(stored)
    assert Image.open(io.BytesIO(stored)).size == (60, 40)


def test_a_png_loses_text_chunks_and_anything_appended_after_the_image():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<svg onload=alert(1)>")
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    original = buffer.getvalue() + b"PK\x03\x04 appended zip payload"
    upload = _upload(original, "图.png")
    inspect_upload(upload)
    stored = upload.read()
    assert b"onload" not in stored and b"appended zip payload" not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_a_large_upload_kept_in_a_temporary_file_is_rewritten_too():
    original = _jpeg_with_exif()
    upload = TemporaryUploadedFile("照片.jpg", "image/jpeg", len(original), None)
    upload.write(original)
    upload.seek(0)
    checked = inspect_upload(upload)
    with open(upload.temporary_file_path(), "rb") as handle:
        stored = handle.read()
    assert b"SecretCamera" not in stored
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    upload.close()


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("L", (2000, 1000)).save(buffer, format="PNG")
    error = _refused(buffer.getvalue(), "大图.png")
    assert error.code == "image_too_large"
    assert "2000×1000" in error.messages[0]


def test_a_truncated_image_is_refused():
    data = _jpeg_with_exif()
    error = _refused(data[: len(data) // 2], "坏图.jpg")
    assert error.code == "image_broken"


# Type, extension, size ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "空.pdf", "empty"),
        (b"MZ\x90\x00" + b"\x00" * 200, "程序.pdf", "content"),
        (blank_pdf(), "证明.exe", "extension"),
        (blank_pdf(), "证明.pdf.exe", "extension"),
        (blank_pdf(), "证明.jpg", "mismatch"),
        (b"<html><script>alert(1)</script></html>", "页面.pdf", "content"),
    ],
)
def test_type_is_decided_by_the_bytes_and_the_extension_must_agree(data, name, code):
    assert _refused(data, name).code == code


def test_an_oversized_file_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    error = _refused(blank_pdf() + b"\n%" + b"x" * 2048)
    assert error.code == "too_large"


# Through the service --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_stored_file_is_the_re_encoded_one_and_its_hash_is_recorded(world):
    application = world.draft()
    original = _jpeg_with_exif()
    attachment = services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind="evidence",
        title="场地照片",
        upload=_upload(original, "../../etc/passwd.jpg"),
    )
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"SecretCamera" not in stored
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored)
    assert "/" not in attachment.original_name
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.file.name.startswith(f"applications/{application.pk}/")


@pytest.mark.django_db
def test_a_refused_pdf_leaves_no_attachment_and_no_file(world, settings):
    application = world.draft()
    with pytest.raises(ValidationError):
        services.attachment_add_by_applicant(
            user=world.applicant,
            application=application,
            kind="evidence",
            title="带脚本",
            upload=_upload(_pdf(change=_document_javascript)),
        )
    assert not application.attachments.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_the_upload_page_shows_the_refusal_next_to_the_file_field(client, world):
    application = world.draft()
    client.force_login(world.applicant)
    response = client.post(
        f"/applications/{application.pk}/files/",
        {"kind": "evidence", "title": "x", "file": _upload(_pdf(change=lambda w: w.encrypt("pw")))},
    )
    assert response.status_code == 200
    assert "PDF 文件已加密" in response.content.decode()
