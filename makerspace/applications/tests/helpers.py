"""What the applicant-side tests share: reading a rendered field, and files of each real type."""

import io

import lxml.html
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from makerspace.core.demo import blank_pdf


def field_text(response, name: str) -> str:
    """The text inside the container `#field-<name>` of a rendered form: label, help and errors."""
    document = lxml.html.fromstring(response.content.decode())
    found = document.xpath(f'//*[@id="field-{name}"]')
    assert found, f"no #field-{name} in the page"
    return found[0].text_content()


def field_errors(response, name: str) -> list[str]:
    document = lxml.html.fromstring(response.content.decode())
    return [p.text_content() for p in document.xpath(f'//*[@id="field-{name}"]//p[@class="error"]')]


def form_errors(response) -> list[str]:
    document = lxml.html.fromstring(response.content.decode())
    return [p.text_content() for p in document.xpath('//p[contains(@class, "form-error")]')]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_upload(name: str = "证明.pdf", text: str = "evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(text), content_type="application/pdf")


def png_upload(name: str = "场地照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def jpeg_upload(name: str = "场地照片.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")
