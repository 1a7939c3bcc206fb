"""Checks every uploaded file by its bytes, not its name (libmagic on the first 2 KB)."""

import hashlib
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

ALLOWED = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
ALLOWED_TEXT = "PDF、JPG 或 PNG"


def inspect_upload(upload: UploadedFile) -> tuple[str, str, int]:
    """Return (content type, SHA-256, size) or raise ValidationError with a message for the user."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError("文件为空，请重新选择。", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"文件大小为{upload.size / 1048576:.1f} MB，超过{limit // 1048576} MB的上限。", code="too_large"
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in set().union(*ALLOWED.values()):
        raise ValidationError(
            f"只能上传{ALLOWED_TEXT}文件，“{upload.name}”的类型不在允许范围内。", code="extension"
        )
    upload.seek(0)
    head = upload.read(2048)
    detected = magic.from_buffer(head, mime=True)
    if detected not in ALLOWED:
        raise ValidationError(
            f"文件内容不是{ALLOWED_TEXT}（识别为 {detected}），请上传真实的扫描件或图片。", code="content"
        )
    if extension not in ALLOWED[detected]:
        raise ValidationError(f"文件扩展名{extension}与文件内容（{detected}）不符。", code="mismatch")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return detected, digest.hexdigest(), upload.size
