"""Verification: the code on a printed document leads to its record; a changed copy is detected."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from makerspace.documents import services
from makerspace.documents.models import Format, IssuedDocument, Kind
from makerspace.documents.stamp import normalise_code

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def _issued(world, application, fmt=Format.PDF):
    return services.application_document(
        user=world.applicant, application=application, kind=Kind.BASIC_INFO, fmt=fmt
    )


def test_the_same_version_gives_the_same_file_and_code(world, submitted):
    first, again = _issued(world, submitted), _issued(world, submitted)
    assert first.data == again.data
    assert first.issued.pk == again.issued.pk
    assert (
        IssuedDocument.objects.filter(application=submitted, kind=Kind.BASIC_INFO, format=Format.PDF).count()
        == 1
    )


def test_the_public_page_names_application_version_and_hash(client, world, submitted):
    rendered = _issued(world, submitted)
    code = rendered.issued.code
    assert code in pdf_text(rendered.data)
    response = client.get(reverse("documents:verify", args=[code]))  # no login
    assert response.status_code == 200
    page = response.content.decode()
    assert submitted.number in page and "第1版" in page and rendered.issued.sha256 in page


def test_an_unchanged_upload_matches(client, world, submitted):
    rendered = _issued(world, submitted)
    response = client.post(
        reverse("documents:verify", args=[rendered.issued.code]),
        {"file": SimpleUploadedFile("held.pdf", rendered.data)},
    )
    assert "一致：该文件与签发时完全相同" in response.content.decode()


@pytest.mark.parametrize("fmt", [Format.PDF, Format.DOCX])
def test_a_changed_document_is_detected(client, world, submitted, fmt):
    rendered = _issued(world, submitted, fmt)
    tampered = bytearray(rendered.data)
    tampered[len(tampered) // 2] ^= 0x01  # one bit changed, as an edited number would
    response = client.post(
        reverse("documents:verify", args=[rendered.issued.code]),
        {"file": SimpleUploadedFile("held." + fmt, bytes(tampered))},
    )
    page = response.content.decode()
    assert "不一致" in page and "可能已被修改" in page
    assert "完全相同" not in page


def test_an_upload_without_code_is_found_by_its_hash(client, world, submitted):
    rendered = _issued(world, submitted)
    response = client.post(
        reverse("documents:verify_index"), {"file": SimpleUploadedFile("x.pdf", rendered.data)}
    )
    assert rendered.issued.code in response.content.decode()
    response = client.post(
        reverse("documents:verify_index"), {"file": SimpleUploadedFile("x.pdf", b"%PDF-forged")}
    )
    assert "没有找到与该文件完全一致的签发文件" in response.content.decode()


def test_unknown_code_is_404_and_typed_codes_are_normalised(client, world, submitted):
    code = _issued(world, submitted).issued.code
    assert client.get(reverse("documents:verify", args=["0000-0000-0000"])).status_code == 404
    typed = code.lower().replace("-", " ")
    response = client.get(reverse("documents:verify_index"), {"code": typed})
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{code}/")
    assert normalise_code("abcd-efgh-ijkl") == "ABCD-EFGH-1JK1"


def test_a_new_version_gets_a_new_code_and_the_old_one_stays_verifiable(client, world, submitted):
    from makerspace.applications import services as application_services

    first = _issued(world, submitted).issued
    application_services.application_transition(
        user=world.supervisor, application=submitted, name="return_to_applicant", comment="请补充材料"
    )
    application_services.application_submit(user=world.applicant, application=submitted)
    submitted.refresh_from_db()
    second = _issued(world, submitted).issued
    assert (second.version_number, first.version_number) == (2, 1)
    assert second.code != first.code
    assert "第1版" in client.get(reverse("documents:verify", args=[first.code])).content.decode()
