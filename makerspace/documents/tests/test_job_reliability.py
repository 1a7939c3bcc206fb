"""Background jobs whose worker dies: a job killed mid-build is taken over when the broker delivers
it again (late ack) or re-queued by the reaper, failed with a message after its last run, and a
user's new request never gets the dead job back. Administrators retry jobs (audited)."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from makerspace.audit.models import AuditEvent
from makerspace.core.models import OutboxMessage
from makerspace.core.outbox import outbox_dispatch_pending
from makerspace.documents import services
from makerspace.documents.models import DocumentJob
from makerspace.documents.tasks import build_document_job
from makerspace.documents.views import package_key

pytestmark = pytest.mark.django_db


def _request(world, application) -> DocumentJob:
    """A package job as the view requests it; the test's transaction never commits, so the outbox
    entry waits as it would while the broker is down."""
    return services.job_request(
        user=world.applicant,
        kind=DocumentJob.JobKind.PACKAGE,
        input_sha256=package_key(application, None),
        application=application,
        version_number=None,
    )


def _killed_mid_job(job: DocumentJob, *, settings, percent: int = 15) -> None:
    """A worker took the job, reported some progress and was killed: its heartbeat stops."""
    assert services.job_start(job)
    services.job_progress(job.pk, percent)
    silent_since = timezone.now() - timedelta(seconds=settings.DOCUMENT_JOB_STALE_SECONDS + 5)
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=silent_since)


def test_worker_killed_mid_job_the_redelivered_job_finishes(world, submitted, settings):
    job = _request(world, submitted)
    _killed_mid_job(job, settings=settings)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.RUNNING and job.progress == 15 and job.is_stalled

    build_document_job(job.pk)  # the broker hands the unacknowledged job to the next worker

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.message
    assert job.attempts == 2 and job.size > 0


def test_a_job_a_live_worker_holds_is_not_taken_twice(world, submitted):
    job = _request(world, submitted)
    assert services.job_start(job)
    services.job_progress(job.pk, 40)

    build_document_job(job.pk)  # a duplicate delivery while the first worker still beats

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.RUNNING and job.progress == 40 and job.attempts == 1


def test_stalled_job_is_requeued_by_the_reaper_and_then_built(world, submitted, settings):
    job = _request(world, submitted)
    _killed_mid_job(job, settings=settings)

    assert services.jobs_reap_stalled() == (1, 0)

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.PENDING and job.progress == 0
    assert OutboxMessage.objects.filter(task=build_document_job.name, args=[job.pk]).count() == 2
    outbox_dispatch_pending(settle_seconds=0)  # the broker is back: both deliveries run
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.message


def test_stalled_job_after_its_last_run_fails_with_a_chinese_message(world, submitted, settings):
    job = _request(world, submitted)
    _killed_mid_job(job, settings=settings)
    DocumentJob.objects.filter(pk=job.pk).update(attempts=settings.DOCUMENT_JOB_MAX_ATTEMPTS)

    assert services.jobs_reap_stalled() == (0, 1)

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED and job.finished_at is not None
    assert job.message.startswith("生成中断：处理进程已停止响应")
    assert f"已运行{settings.DOCUMENT_JOB_MAX_ATTEMPTS}次" in job.message


def test_the_users_next_request_never_returns_the_dead_job(
    client, world, submitted, settings, django_capture_on_commit_callbacks
):
    dead = _request(world, submitted)
    _killed_mid_job(dead, settings=settings, percent=66)
    DocumentJob.objects.filter(pk=dead.pk).update(attempts=settings.DOCUMENT_JOB_MAX_ATTEMPTS)
    client.force_login(world.applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:package_build", args=[submitted.pk]))

    fresh = DocumentJob.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("documents:job", args=[fresh.pk])
    assert fresh.status == DocumentJob.Status.DONE, fresh.message
    dead.refresh_from_db()
    assert dead.status == DocumentJob.Status.FAILED


def test_progress_of_a_stalled_job_stops_polling_and_says_so(client, world, submitted, settings):
    job = _request(world, submitted)
    _killed_mid_job(job, settings=settings)
    client.force_login(world.applicant)
    partial = client.get(reverse("documents:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in partial
    assert "生成中断：处理进程已停止响应" in partial


def test_a_job_over_its_time_limit_fails_with_a_message(world, submitted):
    job = _request(world, submitted)
    with mock.patch.object(services, "package_document", side_effect=SoftTimeLimitExceeded()):
        build_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert job.message.startswith("生成超时")


def test_admin_retries_a_failed_job_and_it_is_audited(
    client, world, submitted, settings, django_capture_on_commit_callbacks
):
    job = _request(world, submitted)
    services.job_fail(job, "生成失败：OSError。")
    admin = world.admin
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    admin.user_permissions.add(Permission.objects.get(codename="view_documentjob"))
    client.force_login(admin)
    url = reverse("admin:documents_documentjob_changelist")
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "retry", "_selected_action": [job.pk]}, follow=True)

    assert "已重新排队 1 个任务" in response.content.decode()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.message
    assert AuditEvent.objects.filter(action="document.job_retry", target_id=str(job.pk), actor=admin).exists()


def test_only_an_administrator_may_retry_jobs(world, submitted):
    from django.core.exceptions import PermissionDenied

    job = _request(world, submitted)
    with pytest.raises(PermissionDenied):
        services.job_retry(user=world.applicant, jobs=[job])


def test_a_job_delivered_again_while_it_looks_alive_comes_back_once_its_heartbeat_is_stale(
    world, submitted, settings
):
    """The broker gives a killed worker's job back at once, while its heartbeat is still fresh:
    the message is not dropped but retried after the stale window, when it takes the job over."""
    from celery.exceptions import Retry

    job = _request(world, submitted)
    assert services.job_start(job)
    build_document_job.push_request(
        id="redelivered-1", is_eager=False, retries=0, called_directly=False, args=[job.pk], kwargs={}
    )
    try:
        with mock.patch.object(build_document_job, "apply_async") as queued, pytest.raises(Retry):
            build_document_job.run(job.pk)  # as a worker runs a delivered message
    finally:
        build_document_job.pop_request()
    assert queued.call_args.kwargs["countdown"] == settings.DOCUMENT_JOB_STALE_SECONDS + 1
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.RUNNING and job.attempts == 1
