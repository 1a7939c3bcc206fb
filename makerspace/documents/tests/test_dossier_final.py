"""Issue 12: dossiers that hold every sealed original the next level needs, never a 草稿 letter
sent on to the ministry, and packages built once however many dossiers bind them."""

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse

from makerspace.core.tests.factories import World
from makerspace.documents import package
from makerspace.documents.models import DocumentJob
from makerspace.reviews.models import UnitSubmission

pytestmark = pytest.mark.django_db


def _build(client, url, capture):
    with capture(execute=True):
        response = client.post(url)
    return response, DocumentJob.objects.order_by("-pk").first()


def _zip(job) -> zipfile.ZipFile:
    with job.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_unit_dossier_holds_the_units_sealed_letter_scan(client, world, django_capture_on_commit_callbacks):
    application = world.delivered()[0]
    submission = UnitSubmission.objects.get(batch=world.batch, recommending_unit=world.unit)
    client.force_login(world.recommender)
    url = reverse("documents:unit_dossier", args=[world.unit.pk, world.batch.pk])
    _, job = _build(client, url, django_capture_on_commit_callbacks)
    assert job.status == DocumentJob.Status.DONE, job.message
    archive = _zip(job)
    sealed = [n for n in archive.namelist() if "推荐函（盖章扫描件）" in n]
    assert len(sealed) == 1
    assert hashlib.sha256(archive.read(sealed[0])).hexdigest() == submission.letter_sha256
    assert any(application.number in n for n in archive.namelist())
    with job.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.sha256


def test_province_dossier_with_a_draft_letter_is_refused(client, world, django_capture_on_commit_callbacks):
    chosen = world.formal_passed()  # formally passed, not yet chosen: the province letter is a 草稿
    world.advance(chosen, "select")
    World(batch=world.batch).formal_passed()  # another unit's, still to be chosen
    client.force_login(world.province)
    response, job = _build(
        client, reverse("documents:batch_dossier", args=[world.batch.pk]), django_capture_on_commit_callbacks
    )
    assert job is None
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "草稿" in page and "不能生成省级推荐材料包" in page


def test_province_dossier_holds_the_sealed_unit_letters_and_a_final_letter(
    client, world, django_capture_on_commit_callbacks
):
    chosen = world.formal_passed()
    world.advance(chosen, "select")
    submission = UnitSubmission.objects.get(batch=world.batch, recommending_unit=world.unit)
    client.force_login(world.province)
    _, job = _build(
        client, reverse("documents:batch_dossier", args=[world.batch.pk]), django_capture_on_commit_callbacks
    )
    assert job.status == DocumentJob.Status.DONE, job.message
    names = _zip(job).namelist()
    assert not any("草稿" in n for n in names)
    sealed = [n for n in names if n.startswith("推荐单位推荐函/") and world.unit.name in n]
    assert len(sealed) == 1
    assert hashlib.sha256(_zip(job).read(sealed[0])).hexdigest() == submission.letter_sha256


def test_dossier_binds_packages_built_once(client, world, django_capture_on_commit_callbacks, monkeypatch):
    world.delivered(count=2)
    client.force_login(world.recommender)
    url = reverse("documents:unit_dossier", args=[world.unit.pk, world.batch.pk])
    _build(client, url, django_capture_on_commit_callbacks)
    built = []
    original = package.build_package
    monkeypatch.setattr(package, "build_package", lambda *a, **k: built.append(1) or original(*a, **k))
    DocumentJob.objects.all().delete()
    _, job = _build(client, url, django_capture_on_commit_callbacks)
    assert job.status == DocumentJob.Status.DONE and built == []
