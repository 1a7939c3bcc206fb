"""Checks every uploaded file by its bytes, not its name (libmagic on the first 2 KB), then by
its structure: PDFs are parsed and refused when encrypted, too long, or carrying scripts, actions
or embedded files; images are decoded and re-encoded, which drops metadata and anything appended.
The upload's name is never used as a path: storage names are chosen by the caller."""

import hashlib
import io
from pathlib import PurePath
from typing import NamedTuple

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

# Names whose presence anywhere in a PDF's object graph means active content: scripts (also as
# an /OpenAction, found by walking into it), actions run on events, launching programs, embedded
# files, rich media and XFA forms.
PDF_ACTIVE_KEYS = {
    "/JS": "脚本",
    "/JavaScript": "脚本",
    "/AA": "自动触发的动作",
    "/EmbeddedFiles": "嵌入的文件",
    "/EmbeddedFile": "嵌入的文件",
    "/Launch": "启动外部程序的动作",
    "/RichMedia": "多媒体内容",
    "/XFA": "XFA 动态表单",
}
# Action types (/S) that run, open or send something outside the document.
PDF_ACTIVE_VALUES = {
    "/JavaScript": "脚本",
    "/Launch": "启动外部程序的动作",
    "/URI": "打开网址的动作",
    "/SubmitForm": "提交表单的动作",
    "/GoToR": "打开外部文件的动作",
    "/GoToE": "打开外部文件的动作",
    "/ImportData": "导入外部数据的动作",
}
# Walking more objects than this is refused rather than risked (a crafted file could be huge).
PDF_MAX_OBJECTS = 100_000
# Bytes allowed after the last %%EOF (line ends, padding): anything more is a second file.
PDF_MAX_TRAILING_BYTES = 64


class _PdfBomb(Exception):
    pass


class CheckedUpload(NamedTuple):
    content_type: str
    sha256: str
    size: int


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def inspect_upload(upload: UploadedFile) -> CheckedUpload:
    """Check an upload and return (content type, SHA-256, size) of the bytes to store.

    Images are re-encoded and the upload's contents are replaced by the re-encoded bytes, so the
    caller stores and hashes exactly what was checked. Raises ValidationError with a message for
    the user when the file is refused.
    """
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        _refuse("文件为空，请重新选择。", "empty")
    if upload.size > limit:
        _refuse(f"文件大小为{upload.size / 1048576:.1f} MB，超过{limit // 1048576} MB的上限。", "too_large")
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in set().union(*ALLOWED.values()):
        _refuse(f"只能上传{ALLOWED_TEXT}文件，“{name}”的类型不在允许范围内。", "extension")
    upload.seek(0)
    head = upload.read(2048)
    detected = magic.from_buffer(head, mime=True)
    if detected not in ALLOWED:
        _refuse(f"文件内容不是{ALLOWED_TEXT}（识别为 {detected}），请上传真实的扫描件或图片。", "content")
    if extension not in ALLOWED[detected]:
        _refuse(f"文件扩展名{extension}与文件内容（{detected}）不符。", "mismatch")
    upload.seek(0)
    if detected == "application/pdf":
        _check_pdf(upload)
    else:
        _replace_contents(upload, _reencode_image(upload, detected))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(detected, digest.hexdigest(), upload.size)


def _replace_contents(upload: UploadedFile, data: bytes) -> None:
    """Overwrite the upload's file (in memory or a temporary file) with `data`."""
    handle = upload.file
    handle.seek(0)
    handle.truncate()
    handle.write(data)
    handle.flush()
    handle.seek(0)
    upload.size = len(data)


def _reencode_image(upload: UploadedFile, content_type: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                _refuse(
                    f"图片尺寸为{width}×{height}像素，"
                    f"超过{max_pixels // 1_000_000}百万像素的上限，请缩小后上传。",
                    "image_too_large",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            # Drop every ancillary item (EXIF, comments, ICC profiles, text chunks); a palette's
            # transparency is part of the picture and stays.
            image.info = {k: v for k, v in image.info.items() if k == "transparency"}
            out = io.BytesIO()
            if content_type == "image/jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90, optimize=True)
            else:
                if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        _refuse("图片文件已损坏或无法识别，请重新导出后上传。", "image_broken")
    return out.getvalue()


def _check_pdf_envelope(upload: UploadedFile) -> None:
    """A PDF starts with %PDF- and ends at its last %%EOF: bytes in front (HTML that a browser
    sniffs) or behind (a ZIP archive) make it a polyglot, refused."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(b"%PDF-"):
        _refuse("PDF 文件开头含有其他内容，不是规范的 PDF 文件，请重新导出后上传。", "pdf_polyglot")
    end = data.rfind(b"%%EOF")
    if end != -1 and len(data[end + 5 :].strip(b"\r\n\t \0")) > PDF_MAX_TRAILING_BYTES:
        _refuse(
            "PDF 文件结束标记之后还附带其他数据，出于安全考虑不能上传，请重新导出后上传。", "pdf_polyglot"
        )


def _check_pdf(upload: UploadedFile) -> None:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    _check_pdf_envelope(upload)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            _refuse("PDF 文件已加密或设有打开密码，请去除密码后上传。", "pdf_encrypted")
        pages = len(reader.pages)
        limit = settings.UPLOAD_MAX_PDF_PAGES
        if pages > limit:
            _refuse(f"PDF 共{pages}页，超过{limit}页的上限，请拆分后上传。", "pdf_too_long")
        found = _pdf_active_content(reader)
    except ValidationError:
        raise
    except (_PdfBomb, LimitReachedError):
        limit_mb = settings.UPLOAD_MAX_PDF_DECOMPRESSED_BYTES // 1048576
        _refuse(
            f"PDF 解压后超过{limit_mb} MB 的上限（可能是压缩炸弹），请重新导出或压缩图片后上传。",
            "pdf_bomb",
        )
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        _refuse("PDF 文件已损坏或无法解析，请重新导出后上传。", "pdf_broken")
    finally:
        upload.seek(0)
    if found:
        _refuse(
            f"PDF 中含有{found}，出于安全考虑不能上传。请用“打印为 PDF”或扫描方式重新生成后上传。",
            "pdf_active",
        )


def _pdf_active_content(reader) -> str | None:
    """Walk every object reachable from the trailer; return what active content was found.

    On the way every stream is decoded (pypdf bounds each one) and the decoded bytes are summed:
    past UPLOAD_MAX_PDF_DECOMPRESSED_BYTES the file is a bomb (_PdfBomb), whatever the split.
    Page objects are counted too, since a page tree can hide more pages than /Count says."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    decoded = 0
    decoded_limit = settings.UPLOAD_MAX_PDF_DECOMPRESSED_BYTES
    page_objects = 0
    page_limit = settings.UPLOAD_MAX_PDF_PAGES
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            return "过多的对象（结构异常）"
        if isinstance(node, StreamObject):
            decoded += len(node.get_data())
            if decoded > decoded_limit:
                raise _PdfBomb
        if isinstance(node, DictionaryObject):
            if node.get("/Type") == "/Page":
                page_objects += 1
                if page_objects > page_limit:
                    _refuse(f"PDF 页面对象超过{page_limit}页的上限，请拆分后上传。", "pdf_too_long")
            for name, value in node.items():
                if name in PDF_ACTIVE_KEYS:
                    return PDF_ACTIVE_KEYS[name]
                if name == "/S":
                    action = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(action, NameObject) and action in PDF_ACTIVE_VALUES:
                        return PDF_ACTIVE_VALUES[action]
                if name in ("/Parent", "/P"):
                    continue
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None
