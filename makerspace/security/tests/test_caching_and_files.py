"""Issue 15: `Cache-Control: no-store` on signed-in pages, private downloads and the API; media
files written readable by the service account only."""

import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_in_pages_private_downloads_and_the_api_are_not_stored(client, world):
    application = world.submitted()
    client.force_login(world.applicant)
    for url in (
        reverse("applications:list"),
        reverse("applications:detail", args=[application.pk]),
        reverse("documents:application_document", args=[application.pk, "basic_info", "pdf"]),
        "/api/applications/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_api_is_not_stored_even_when_refused(client, db):
    assert "no-store" in client.get("/api/applications/")["Cache-Control"]


def test_public_pages_stay_cacheable(client, db):
    response = client.get(reverse("documents:blank_form", args=[1]))
    assert "no-store" not in response.get("Cache-Control", "")


def test_uploaded_files_are_not_world_readable(settings, tmp_path):
    path = default_storage.save("applications/1/test", ContentFile(b"%PDF-1.4 private"))
    full = default_storage.path(path)
    assert stat.S_IMODE(os.stat(full).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(os.path.dirname(full)).st_mode) == 0o750
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o750
