"""The outbox: e-mails and background jobs recorded with the change they follow, dispatched after
commit.

`outbox_enqueue` is called inside the writer's transaction. After commit the entry is handed to the
broker at once; if the broker cannot be reached within CELERY_BROKER_CONNECTION_TIMEOUT the request
still succeeds and the entry stays pending for `outbox_dispatch_pending` (a periodic task and the
`dispatch_outbox` command). A task may therefore run more than once: every task sent through the
outbox is idempotent.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# An entry younger than this is left to the on-commit dispatch of the request that wrote it.
SETTLE_SECONDS = 30
# After this many failed hand-overs the entry is marked failed and waits for an administrator.
MAX_ATTEMPTS = 50
# Sent entries are kept this long for the administrator to look back on, then deleted.
KEEP_SENT_DAYS = 30


def _task(name: str):
    """The task an entry names. Its module is imported (with every app's tasks) only when this
    process has not registered it yet: the import costs some 25 ms of CPU each time, paid on the
    commit of every request that notifies anyone."""
    from config.celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _local_worker() -> bool:
    """No broker, and `manage.py local_worker` (started by `make run`) runs the work."""
    from django.conf import settings

    return settings.LOCAL_WORKER and not settings.CELERY_BROKER_URL


def outbox_enqueue(task, *args) -> OutboxMessage:
    """Record `task(*args)` in the current transaction; it is dispatched once that commits (or,
    with the local worker, picked up by it: never run inside the request)."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    if not _local_worker():
        transaction.on_commit(lambda: outbox_dispatch(message.pk))
    return message


def outbox_dispatch(message_id: int) -> bool:
    """Hand one pending entry to the broker (or run it, without a broker). Never raises: a broker
    that is down leaves the entry pending with the error kept."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
    if message is None:
        return False
    try:
        _task(message.task).apply_async(args=message.args, retry=False)
    except Exception as error:
        attempts = message.attempts + 1
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:500],
            status=OutboxMessage.Status.FAILED if attempts >= MAX_ATTEMPTS else OutboxMessage.Status.PENDING,
        )
        logger.warning("outbox %s (%s) not dispatched: %s", message.pk, message.task, error)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def outbox_dispatch_pending(*, settle_seconds: int = SETTLE_SECONDS, limit: int = 500) -> tuple[int, int]:
    """Dispatch the pending entries older than `settle_seconds`, oldest first. With a broker it
    stops at the first failure (the rest would fail the same way); without one each entry runs
    here and one failing does not hold up the others. Returns (sent, still pending)."""
    from config.celery import app

    cutoff = timezone.now() - timedelta(seconds=settle_seconds)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        if outbox_dispatch(pk):
            sent += 1
        elif not app.conf.task_always_eager:
            break
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
    return sent, pending


def outbox_prune(*, days: int = KEEP_SENT_DAYS) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff).delete()[0]


def outbox_retry(*, user, messages) -> int:
    """An administrator puts failed (or stuck pending) entries back and dispatches them."""
    from makerspace.audit.services import audit_record
    from makerspace.permissions import require

    require(user, "core.retry_background_work", message="只有系统管理员可以重新发送。")
    count = 0
    for message in messages:
        if message.status == OutboxMessage.Status.SENT:
            continue
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
            audit_record(
                action="outbox.retry",
                actor=user,
                target=message,
                summary=f"重新发送 {message.task} #{message.pk}",
                payload={"attempts": message.attempts, "last_error": message.last_error},
            )
            transaction.on_commit(lambda pk=message.pk: outbox_dispatch(pk))
        count += 1
    return count
