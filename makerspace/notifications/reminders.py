"""Deadline reminders: each party with pending work in a step of an open batch is told in its inbox
and by e-mail 7, 3 and 1 days before the step's deadline (R5), exactly once per threshold.

Pending work is what the party's own queue would show: the applicants' drafts and returned
applications before the submission deadline, and the applications standing in a step for the step's
party. The deadline is the effective one for the application's unit (extensions included), so a
unit granted more time is reminded against its own deadline.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from makerspace.accounts.models import Role
from makerspace.applications.models import Application
from makerspace.applications.workflow import EDITABLE, PENDING, kind_of
from makerspace.batches.deadlines import effective_deadline
from makerspace.batches.models import Batch, Level
from makerspace.core.i18n import in_chinese

from .models import DeadlineReminder, Notification
from .services import APPLICANT, AUDIENCE_OF_PARTY

THRESHOLDS = (7, 3, 1)

# Where each party works on the step, for the reminder's link.
LINKS = {
    Role.APPLICANT: ("applications:list", False),
    Role.SUPERVISOR: ("reviews:supervisor_queue", False),
    Role.RECOMMENDER: ("reviews:recommender_batch", True),
    Role.ACCEPTANCE: ("reviews:acceptance_queue", False),
    Role.PROVINCE: ("reviews:province_batch", True),
    Role.MINISTRY: ("reviews:ministry_batch", True),
}


def threshold(remaining: timedelta) -> int | None:
    """The nearest threshold a deadline `remaining` away has crossed, or None (too far, or passed)."""
    if remaining <= timedelta(0):
        return None
    crossed = [days for days in THRESHOLDS if remaining <= timedelta(days=days)]
    return min(crossed) if crossed else None


def _pending(batch: Batch):
    """(level, party role, application) for every application with work left in an open step."""
    kinds = {step.kind: step for step in batch.chain()}
    applications = Application.objects.filter(batch=batch, state__in=[*EDITABLE, *PENDING]).select_related(
        "space"
    )
    for application in applications:
        application.batch = batch
        if application.state in EDITABLE:
            yield Level.APPLICANT, APPLICANT, application
            continue
        step = kinds.get(kind_of(application.state))
        if step is not None:
            yield step.kind, AUDIENCE_OF_PARTY[step.party], application


def _link(role: str, batch: Batch) -> str:
    name, with_batch = LINKS.get(role, ("applications:list", False))
    return reverse(name, args=[batch.pk] if with_batch else [])


@in_chinese
def send_deadline_reminders(now=None) -> list[Notification]:
    """Remind every party whose step's deadline is within a threshold. Safe to run as often as
    wanted: a reminder already sent for a (batch, level, user, threshold, deadline) is not sent
    again."""
    now = now or timezone.now()
    due: dict[tuple, list[Application]] = defaultdict(list)
    for batch in Batch.objects.filter(status=Batch.Status.OPEN).prefetch_related("steps", "extensions"):
        for level, audience, application in _pending(batch):
            deadline = effective_deadline(batch, level, application.recommending_unit_id)
            days = threshold(deadline - now) if deadline else None
            if days is None:
                continue
            for user in audience.users(application):
                due[(batch, level, user, days, deadline)].append(application)

    sent = []
    for (batch, level, user, days, deadline), applications in due.items():
        if DeadlineReminder.objects.filter(
            batch=batch, level=level, recipient=user, days=days, deadline=deadline
        ).exists():
            continue
        notification = _remind(batch, level, user, days, deadline, applications)
        if notification is not None:
            sent.append(notification)
    if sent:
        from makerspace.core.outbox import outbox_enqueue

        from .tasks import send_notification_emails

        with transaction.atomic():
            outbox_enqueue(send_notification_emails, [n.pk for n in sent])
    return sent


def _remind(batch, level, user, days, deadline, applications) -> Notification | None:
    local = timezone.localtime(deadline).strftime("%Y年%m月%d日 %H:%M")
    numbers = "、".join(a.number or a.space.name for a in applications[:10])
    more = f"等{len(applications)}项" if len(applications) > 10 else f"共{len(applications)}项"
    title = f"{batch.title}：{Level(level).label}将于{local}截止（还有{days}天以内）"
    body = "\n".join(
        [
            f"{Level(level).label}的截止时间为{local}（以服务器时间为准）。",
            f"尚待办理的申报：{numbers}（{more}）。",
            "截止后系统将不再接受该环节的操作，请尽早办理。",
        ]
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user,
                kind="deadline_reminder",
                title=title[:200],
                body=body,
                link=_link(user.role, batch),
            )
            DeadlineReminder.objects.create(
                batch=batch,
                level=level,
                recipient=user,
                days=days,
                deadline=deadline,
                notification=notification,
            )
    except IntegrityError:  # another server sent this one a moment ago
        return None
    return notification
