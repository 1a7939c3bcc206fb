"""Without a broker (the embedded default of `make run`), e-mails and long jobs run in the local
worker process, never inside the request: the request answers with the job pending."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from makerspace.core.models import OutboxMessage
from makerspace.documents.models import DocumentJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_worker(settings):
    settings.LOCAL_WORKER = True
    settings.CELERY_BROKER_URL = ""


def test_a_dossier_or_package_never_builds_inside_the_request(
    client, world, local_worker, django_capture_on_commit_callbacks
):
    application = world.submitted()
    client.force_login(world.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:package_build", args=[application.pk]))
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert job.status == DocumentJob.Status.PENDING  # the request did not build it

    call_command("local_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.message
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()


def test_a_submissions_mail_is_sent_by_the_local_worker(
    world, local_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world.submitted()
    assert mail.outbox == []
    call_command("local_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[world.supervisor.email]]


def test_dispatch_outbox_command_reports_what_it_did(world, capsys):
    world.submitted()
    call_command("dispatch_outbox")
    assert "已发送 1 条，仍待发送 0 条" in capsys.readouterr().out
    assert len(mail.outbox) == 1
