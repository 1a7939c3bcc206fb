"""Every download asks the permission module: 404 for what one may not see, 403 for what one sees
but may not take; background jobs with an htmx-polled progress partial."""

import io
import zipfile

import pytest
from django.urls import reverse

from makerspace.core.tests.factories import World
from makerspace.documents.models import DocumentJob

pytestmark = pytest.mark.django_db


def _doc_url(application, kind="basic_info", fmt="docx"):
    return reverse("documents:application_document", args=[application.pk, kind, fmt])


def test_application_documents_follow_visibility(client, world, submitted):
    other = World(batch=world.batch)
    client.force_login(world.applicant)
    response = client.get(_doc_url(submitted))
    assert response.status_code == 200
    assert response["X-Verification-Code"]
    assert "attachment" in response["Content-Disposition"]
    client.force_login(other.applicant)
    assert client.get(_doc_url(submitted)).status_code == 404
    client.force_login(world.recommender)  # not yet forwarded to the unit
    assert client.get(_doc_url(submitted)).status_code == 404
    client.force_login(world.supervisor)
    assert client.get(_doc_url(submitted, "commitment_supervisor", "pdf")).status_code == 200
    assert client.get(_doc_url(submitted, "package", "pdf")).status_code == 404  # not a single document
    assert client.get(_doc_url(submitted) + "?version=9").status_code == 404
    client.logout()
    assert client.get(_doc_url(submitted)).status_code == 302  # to the login page


def test_detail_page_links_to_the_downloads(client, world, submitted):
    client.force_login(world.applicant)
    page = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert _doc_url(submitted, "report", "pdf") in page
    assert reverse("documents:package_build", args=[submitted.pk]) in page


def test_letters_ask_for_the_unit(client, world):
    other = World(batch=world.batch)
    url = reverse("documents:recommendation_letter", args=[world.unit.pk, world.batch.pk, "pdf"])
    client.force_login(world.recommender)
    assert client.get(url).status_code == 200
    client.force_login(other.recommender)
    assert client.get(url).status_code == 403
    client.force_login(world.applicant)
    assert client.get(url).status_code == 403
    province_url = reverse("documents:province_letter", args=[world.batch.pk, "docx"])
    assert client.get(province_url).status_code == 403
    client.force_login(world.ministry)
    assert client.get(province_url).status_code == 200


def test_package_job_runs_and_is_downloadable_only_by_its_requester(
    client, world, submitted, django_capture_on_commit_callbacks
):
    client.force_login(world.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:package_build", args=[submitted.pk]))
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert job.status == DocumentJob.Status.DONE and job.progress == 100
    partial = client.get(
        reverse("documents:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in partial  # finished: polling stops
    assert reverse("documents:job_download", args=[job.pk]) in partial
    download = client.get(reverse("documents:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content)[:4] == b"%PDF"
    client.force_login(world.supervisor)
    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404


def test_a_running_job_polls(client, world, submitted):
    job = DocumentJob.objects.create(
        kind=DocumentJob.JobKind.PACKAGE,
        application=submitted,
        input_sha256="x",
        requested_by=world.applicant,
        status=DocumentJob.Status.RUNNING,
        progress=40,
    )
    client.force_login(world.applicant)
    partial = client.get(reverse("documents:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'value="40"' in partial


def test_unit_dossier_zip_holds_packages_letter_and_sheet_and_is_not_rebuilt(
    client, world, django_capture_on_commit_callbacks
):
    application = world.submitted()
    world.advance(application, "forward", "recommend")
    client.force_login(world.recommender)
    url = reverse("documents:unit_dossier", args=[world.unit.pk, world.batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = DocumentJob.objects.get(kind=DocumentJob.JobKind.UNIT_DOSSIER)
    assert job.status == DocumentJob.Status.DONE, job.message
    with job.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert any(n.endswith("推荐函-草稿.docx") for n in names)
    assert any(n.endswith("推荐函-草稿.pdf") for n in names)
    assert any(n.startswith("汇总表") for n in names)
    assert any(n.startswith("申报材料/") and application.number in n for n in names)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # same inputs: the same job is handed back
    assert DocumentJob.objects.filter(kind=DocumentJob.JobKind.UNIT_DOSSIER).count() == 1
    application.recommender_rank = 1
    application.save(update_fields=["recommender_rank"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # the ranking changed the letter: a new build
    assert DocumentJob.objects.filter(kind=DocumentJob.JobKind.UNIT_DOSSIER).count() == 2


def test_other_units_dossier_is_refused(client, world):
    other = World(batch=world.batch)
    client.force_login(other.recommender)
    assert (
        client.post(reverse("documents:unit_dossier", args=[world.unit.pk, world.batch.pk])).status_code
        == 403
    )
    assert client.post(reverse("documents:batch_dossier", args=[world.batch.pk])).status_code == 403


def test_public_blank_forms_need_no_login(client, db):
    page = client.get(reverse("public:blank_forms")).content.decode()
    for number in range(1, 6):
        assert reverse("documents:blank_form", args=[number]) in page
    response = client.get(reverse("documents:blank_form", args=[2]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("documents:blank_form", args=[6])).status_code == 404


def test_hub_is_for_reviewing_roles(client, world):
    client.force_login(world.applicant)
    assert client.get(reverse("documents:hub")).status_code == 403
    client.force_login(world.recommender)
    page = client.get(reverse("documents:hub")).content.decode()
    assert reverse("documents:recommendation_letter", args=[world.unit.pk, world.batch.pk, "pdf"]) in page
