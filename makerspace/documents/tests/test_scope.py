"""Issue 15: every letter, dossier and export lists only what `visible_applications` lets the
requester see. The acceptance unit and the province see an application once its unit delivered it,
so neither may take the 推荐函 or the dossier of a unit that has recommended but not delivered."""

import io
import zipfile

import pytest
from django.urls import reverse

from makerspace.documents.models import DocumentJob

pytestmark = pytest.mark.django_db


def _letter(world, fmt="pdf"):
    return reverse("documents:recommendation_letter", args=[world.unit.pk, world.batch.pk, fmt])


def _dossier(world):
    return reverse("documents:unit_dossier", args=[world.unit.pk, world.batch.pk])


@pytest.mark.parametrize("role", ["acceptance", "province"])
def test_unit_dossier_and_letter_of_an_undelivered_unit_are_refused(client, world, role):
    world.recommended()
    client.force_login(getattr(world, role))
    assert client.get(_letter(world)).status_code == 404
    assert client.get(_letter(world, "docx")).status_code == 404
    assert client.post(_dossier(world)).status_code == 404
    assert not DocumentJob.objects.exists()


def test_the_recommender_still_takes_its_undelivered_letter_and_dossier(client, world):
    world.recommended()
    client.force_login(world.recommender)
    assert client.get(_letter(world)).status_code == 200
    assert client.post(_dossier(world)).status_code == 302


def test_a_dossier_built_earlier_is_not_downloadable_once_out_of_scope(
    client, world, django_capture_on_commit_callbacks
):
    """The job keeps its requester; the download asks the scope again, as for a package."""
    application = world.recommended()
    client.force_login(world.recommender)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_dossier(world))
    job = DocumentJob.objects.get()
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 200
    world.recommender.organisation.recommending_unit = None
    world.recommender.organisation.save()
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 403
    assert application.number  # the application itself is untouched


def test_the_dossier_of_a_delivered_unit_holds_only_visible_applications(
    client, world, django_capture_on_commit_callbacks
):
    delivered = world.delivered()[0]
    client.force_login(world.acceptance)
    assert client.get(_letter(world)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_dossier(world)).status_code == 302
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE, job.message
    with job.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert [n for n in names if n.startswith("申报材料/")] == [
        n for n in names if n.startswith("申报材料/") and delivered.number in n
    ]
    assert any(delivered.number in n for n in names)
