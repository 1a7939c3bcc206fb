"""The marks a document carries: 草稿 for drafts; number, version and a QR verification code once
issued. The code is random (not derived from the content), so it reveals nothing and cannot be
guessed from a document one has not seen."""

import base64
import io
import secrets
from dataclasses import dataclass

from django.urls import reverse

from makerspace.core.site import absolute_url

# Crockford's alphabet: no I, L, O, U, so a code read aloud or typed from paper is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, GROUP_LENGTH = 3, 4


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person types from paper: lower case, spaces, O for 0, I/L for 1, with or without dashes."""
    compact = "".join(ch for ch in (typed or "").upper() if ch.isalnum())
    compact = compact.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(compact) != CODE_GROUPS * GROUP_LENGTH:
        return compact
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))


def verify_url(code: str) -> str:
    return absolute_url(reverse("documents:verify", args=[code]))


def qr_png(text: str) -> bytes:
    import qrcode

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Stamp:
    """An issued document's marks; `None` in its place means a draft (watermarked 草稿)."""

    code: str
    url: str
    line: str

    @property
    def qr(self) -> bytes:
        return qr_png(self.url)

    @property
    def qr_data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.qr).decode()


def make_stamp(*, reference: str, code: str | None = None) -> Stamp:
    code = code or new_code()
    return Stamp(code=code, url=verify_url(code), line=f"{reference} · 验证码 {code}")


DRAFT_LINE = "草稿（未提交，仅供核对）"


def ensure_not_draft(upload) -> None:
    """Refuse a generated 草稿 PDF offered as a sealed scan: its 草稿 line and watermark are text
    in the PDF. A photographed or scanned print of a draft is an image and is not recognised here
    (that would take OCR); the reviewer who opens the scan sees the mark."""
    import io
    import re

    from django.core.exceptions import ValidationError
    from pypdf import PdfReader

    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        return
    try:
        reader = PdfReader(io.BytesIO(upload.read()))
        text = "".join((page.extract_text() or "") for page in reader.pages[:5])
    except Exception:  # an unreadable PDF is judged by the upload checks, not here
        text = ""
    finally:
        upload.seek(0)
    if re.sub(r"\s+", "", DRAFT_LINE) in re.sub(r"\s+", "", text):
        raise ValidationError(
            "该文件带有“草稿”标记，是未定稿的系统草稿，不能作为盖章扫描件上传。请上传盖章后的定稿扫描件。"
        )
