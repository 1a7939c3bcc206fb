"""Issue 12: every QR code, verification link and e-mail link is built on SITE_URL, whoever builds
it (a request on another host name, a background job, a command), and production refuses to start
without it. The QR codes are read back from the generated files with a barcode reader."""

import io
import os
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from django.core import mail
from PIL import Image
from pypdf import PdfReader

from makerspace.documents import services
from makerspace.documents.models import Format, Kind

pytestmark = pytest.mark.django_db
SITE = "https://filing.kjt.example.cn"
BASE = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def pdf_qr_texts(data: bytes) -> list[str]:
    texts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            texts += _decode(Image.open(io.BytesIO(image.data)))
    return texts


def docx_qr_texts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            text
            for name in archive.namelist()
            if name.startswith("word/media/")
            for text in _decode(Image.open(io.BytesIO(archive.read(name))))
        ]


@pytest.mark.parametrize("fmt", [Format.DOCX, Format.PDF])
def test_qr_code_decodes_to_the_configured_site_url_when_issued_without_a_request(world, submitted, fmt):
    rendered = services.application_document(
        user=world.applicant, application=submitted, kind=Kind.BASIC_INFO, fmt=fmt
    )
    texts = (docx_qr_texts if fmt == Format.DOCX else pdf_qr_texts)(rendered.data)
    assert texts and set(texts) == {f"{SITE}/documents/verify/{rendered.issued.code}/"}


def test_qr_code_downloaded_on_another_host_name_still_points_at_site_url(world, submitted, client):
    client.force_login(world.applicant)
    url = f"/documents/applications/{submitted.pk}/basic_info.pdf"
    response = client.get(url, HTTP_HOST="127.0.0.1")
    data = b"".join(response.streaming_content)
    code = response["X-Verification-Code"]
    assert pdf_qr_texts(data) == [f"{SITE}/documents/verify/{code}/"]


def test_package_qr_code_decodes_to_site_url(world, submitted):
    rendered = services.package_document(user=world.applicant, application=submitted)
    assert f"{SITE}/documents/verify/{rendered.issued.code}/" in pdf_qr_texts(rendered.data)


def test_absolute_url_joins_site_url_and_a_path():
    from makerspace.core.site import absolute_url

    assert absolute_url("/applications/4/") == f"{SITE}/applications/4/"
    assert absolute_url("applications/4/") == f"{SITE}/applications/4/"


def test_email_links_are_absolute_on_site_url(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.submitted()
    assert f"查看详情：{SITE}/review/supervisor/" in mail.outbox[0].body


def _production(env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "filing.example.cn",
        "VAR_DIR": str(tmp_path),
        **env_extra,
    }
    if "SITE_URL" not in env_extra:
        env.pop("SITE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("site_url", [None, "http://127.0.0.1:8000", "http://filing.example.cn"])
def test_production_start_is_refused_without_an_https_site_url(tmp_path, site_url):
    result = _production({} if site_url is None else {"SITE_URL": site_url}, tmp_path)
    assert result.returncode != 0 and "SITE_URL" in result.stderr


def test_production_start_with_a_site_url(tmp_path):
    assert _production({"SITE_URL": "https://filing.example.cn"}, tmp_path).returncode == 0
