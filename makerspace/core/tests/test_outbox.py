"""The outbox: with the broker unreachable a submission still answers at once and its e-mail
waits in the outbox; once the broker is back the e-mail goes out, once."""

import time
from unittest import mock

import pytest
import redis
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from config.celery import app
from makerspace.audit.models import AuditEvent
from makerspace.core.models import OutboxMessage
from makerspace.core.outbox import outbox_dispatch_pending, outbox_retry
from makerspace.notifications.models import Notification
from makerspace.notifications.tasks import send_notification_emails

pytestmark = pytest.mark.django_db

# Nothing listens here (a loopback port of this project's range): a broker that is down.
DOWN = "redis://127.0.0.1:8139/3"
UP = "redis://127.0.0.1:6379/3"


def _use_broker(url: str | None) -> None:
    app.conf.task_always_eager = url is None
    app.conf.broker_url = url or ""
    app.conf.broker_transport = "makerspace.core.broker:Transport" if url else None
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport)
    yield _use_broker
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport = saved
    app._pool = None
    app.amqp._producer_pool = None


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(UP, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_broker_unreachable_submission_answers_success_at_once_and_the_mail_waits(
    world, client, broker, django_capture_on_commit_callbacks
):
    application = world.complete_draft()
    client.force_login(world.applicant)
    broker(DOWN)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert "已提交第1版" in response.content.decode()
    assert elapsed < 5, elapsed
    application.refresh_from_db()
    assert application.state == "at_supervisor"
    # the inbox message committed with the transition; its mail is kept, not lost
    assert Notification.objects.filter(kind="submit", recipient=world.supervisor).exists()
    assert mail.outbox == []
    (entry,) = OutboxMessage.objects.filter(task=send_notification_emails.name)
    assert entry.status == OutboxMessage.Status.PENDING
    assert entry.attempts == 1 and "8139" in entry.last_error

    # the broker is back (here: tasks run as a worker would run them)
    broker(None)
    assert outbox_dispatch_pending(settle_seconds=0) == (1, 0)
    entry.refresh_from_db()
    assert entry.status == OutboxMessage.Status.SENT and entry.sent_at is not None
    assert [m.to for m in mail.outbox] == [[world.supervisor.email]]
    assert application.number in mail.outbox[0].subject

    # delivered twice (the outbox is at-least-once): mailed once
    send_notification_emails(*entry.args)
    assert len(mail.outbox) == 1


@pytest.mark.skipif(not _redis_up(), reason="needs the Redis at 127.0.0.1:6379")
def test_a_pending_entry_is_published_to_the_real_broker_once_it_answers(world, broker):
    client = redis.Redis.from_url(UP)
    client.delete("celery")
    broker(DOWN)
    world.submitted()  # the test's transaction never commits: dispatch by hand, as beat does
    assert outbox_dispatch_pending(settle_seconds=0) == (0, 1)

    broker(UP)
    try:
        assert outbox_dispatch_pending(settle_seconds=0) == (1, 0)
        assert client.llen("celery") == 1
        assert send_notification_emails.name.encode() in client.lindex("celery", 0)
    finally:
        client.delete("celery")


def test_a_mail_server_down_keeps_the_entry_pending_until_it_is_back(world, settings, broker):
    settings.EMAIL_BACKEND = "makerspace.notifications.tests.broken_mail.BrokenBackend"
    world.submitted()
    assert outbox_dispatch_pending(settle_seconds=0) == (0, 1)
    entry = OutboxMessage.objects.get(task=send_notification_emails.name)
    assert "SMTPException" in entry.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_dispatch_pending(settle_seconds=0) == (1, 0)
    assert len(mail.outbox) == 1


def test_entries_younger_than_the_settle_time_are_left_to_their_request(world, broker):
    broker(DOWN)
    world.submitted()
    assert outbox_dispatch_pending() == (0, 1)


def test_admin_retries_a_failed_entry_and_it_is_audited(
    world, client, broker, django_capture_on_commit_callbacks
):
    world.submitted()
    entry = OutboxMessage.objects.get(task=send_notification_emails.name)
    OutboxMessage.objects.filter(pk=entry.pk).update(status=OutboxMessage.Status.FAILED, attempts=50)
    admin = world.admin
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    for codename in ("view_outboxmessage",):
        admin.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(admin)
    url = reverse("admin:core_outboxmessage_changelist")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "retry", "_selected_action": [entry.pk]}, follow=True)
    assert "已重新发送 1 条" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="outbox.retry", target_id=str(entry.pk), actor=admin).exists()


def test_only_an_administrator_may_retry(world):
    from django.core.exceptions import PermissionDenied

    world.submitted()
    with pytest.raises(PermissionDenied):
        outbox_retry(user=world.applicant, messages=list(OutboxMessage.objects.all()))


def test_sent_entries_are_pruned_after_thirty_days_and_pending_ones_kept(world):
    from datetime import timedelta

    from django.utils import timezone

    from makerspace.core.outbox import outbox_prune

    world.submitted()
    outbox_dispatch_pending(settle_seconds=0)
    world.submitted()  # a second one stays pending
    sent = OutboxMessage.objects.get(status=OutboxMessage.Status.SENT)
    OutboxMessage.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - timedelta(days=31))
    assert outbox_prune() == 1
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [OutboxMessage.Status.PENDING]


def test_a_registered_task_is_found_without_importing_every_apps_tasks_again():
    """Issue 14: the import cost some 25 ms of CPU on the commit of every request that notified."""
    from makerspace.core.outbox import _task

    with mock.patch.object(app.loader, "import_default_modules") as imported:
        assert _task(send_notification_emails.name) is app.tasks[send_notification_emails.name]
    imported.assert_not_called()
