"""Who must act next, or be told, after a transition; in-app messages first, e-mail on commit."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from makerspace.accounts.models import Role, User
from makerspace.applications.models import Application, ApplicationEvent
from makerspace.applications.workflow import State, kind_of
from makerspace.audit.labels import TRANSITION_LABELS
from makerspace.core.i18n import in_chinese

from .models import Notification


@dataclass(frozen=True)
class Audience:
    """A party of the chain, resolved against one application."""

    key: str
    role: str

    def users(self, application: Application):
        return User.objects.filter(self.condition(application), is_active=True)

    def condition(self, application: Application) -> Q:
        """Who the party's users are, as a condition on the users' table (the audiences of one
        transition are read in one query, with no subquery each)."""
        users = Q(role=self.role)
        if self.key == "applicant":
            return users & Q(organisation_id=application.space.organisation_id)
        if self.key == "supervisor":
            return users & Q(organisation_id=application.supervisor_id)
        if self.key == "recommender":
            return users & Q(organisation__recommending_unit_id=application.recommending_unit_id)
        return users


APPLICANT = Audience("applicant", Role.APPLICANT)
AUDIENCE_OF_PARTY = {party: Audience(party, party) for party in Role.values}

# What the party that holds the application next is asked to do, by the state it arrives in.
ACTION_PROMPTS = {
    State.AT_SUPERVISOR: "请登录系统审核该申报，逐项核对后出具主管部门信用承诺书。",
    State.AT_RECOMMENDER: "请登录系统逐项审核并决定是否推荐。",
    State.DELIVERED: "请登录系统受理电子材料并登记纸质材料（一式两份）。",
    State.RECEIVED: "请登录系统进行形式审查。",
    State.FORMAL_PASSED: "请登录系统择优推荐。",
    State.RECOMMENDED_TO_MINISTRY: "请登录系统审核并决定是否备案。",
}


def _holder(application: Application, state: str) -> list[Audience]:
    """The party of the batch's chain that holds an application in `state`."""
    kind = kind_of(state)
    step = application.batch.step(kind) if kind else None
    return [AUDIENCE_OF_PARTY[step.party]] if step is not None else []


def _audiences(event: ApplicationEvent) -> list[Audience]:
    """The applicant hears of every transition; the party that must act next (the holder of the
    step the application arrived at) is asked to; a withdrawal is told to whoever held it; the
    recommending unit answers for a disqualification (R7) and hears of a recall's effect."""
    application = event.application
    audiences = [APPLICANT]
    if event.target in ACTION_PROMPTS:
        audiences += _holder(application, event.target)
    if event.transition in ("withdraw", "recall"):
        audiences += _holder(application, event.source)
    if event.transition == "disqualify":
        audiences.append(AUDIENCE_OF_PARTY[Role.RECOMMENDER])
    return audiences


def _recipients(event: ApplicationEvent) -> list[User]:
    application = event.application
    condition = Q()
    for audience in _audiences(event):
        condition |= audience.condition(application)
    return list(User.objects.filter(condition, is_active=True).exclude(pk=event.actor_id).order_by("pk"))


def _message(event: ApplicationEvent, recipient: User) -> tuple[str, str]:
    application = event.application
    label = TRANSITION_LABELS.get(event.transition, event.transition)
    title = f"{application.number} {application.space.name}：{label}"
    lines = [
        f"申报 {application.number}（{application.space.name}）{label}。",
        f"状态：{event.get_source_display()} → {event.get_target_display()}",
        f"操作单位：{event.organisation_name or '—'}",
        f"时间：{timezone.localtime(event.at):%Y-%m-%d %H:%M}",
    ]
    if event.version_number:
        lines.append(f"版本：第{event.version_number}版")
    if event.comment:
        lines.append(f"意见：{event.comment}")
    if recipient.role != Role.APPLICANT and event.target in ACTION_PROMPTS:
        lines.append(ACTION_PROMPTS[event.target])
    return title[:200], "\n".join(lines)


def _link(event: ApplicationEvent, recipient: User) -> str:
    """Where the recipient acts on it: its own screen of the review chain, else the application."""
    application = event.application
    by_role = {
        Role.SUPERVISOR: ("reviews:supervisor_detail", [application.pk]),
        Role.RECOMMENDER: (
            ("reviews:review", [application.pk])
            if event.target == State.AT_RECOMMENDER
            else ("reviews:recommender_batch", [application.batch_id])
        ),
        Role.ACCEPTANCE: ("reviews:acceptance_queue", []),
        Role.PROVINCE: ("reviews:province_batch", [application.batch_id]),
        Role.MINISTRY: ("reviews:ministry_batch", [application.batch_id]),
    }
    name, args = by_role.get(recipient.role, ("applications:detail", [application.pk]))
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("applications:detail", args=[application.pk])


@in_chinese  # stored messages name the states in Chinese, whoever fired the transition
def notify_transition(event: ApplicationEvent) -> list[Notification]:
    """In-app notifications for everyone who must act next or be told; e-mail after commit.

    Called inside the transaction of `application_transition`, with the event it made: its
    application is the instance that has just moved, its space and batch (and the batch's chain)
    already read. The inbox messages and the outbox entry of their e-mail commit with the
    transition, or not at all: no savepoint of their own."""
    notifications = []
    for recipient in _recipients(event):
        title, body = _message(event, recipient)
        notifications.append(
            Notification(
                recipient=recipient,
                kind=event.transition,
                title=title,
                body=body,
                link=_link(event, recipient),
                application_id=event.application_id,
            )
        )
    with transaction.atomic(savepoint=False):
        created = Notification.objects.bulk_create(notifications)
        if created:
            from makerspace.core.outbox import outbox_enqueue

            from .tasks import send_notification_emails

            outbox_enqueue(send_notification_emails, [n.pk for n in created])
    return created


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionDenied("只能处理发给自己的通知。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notify_users(*, users, kind: str, title: str, body: str, link: str = "") -> list[Notification]:
    """In-app messages to `users` about something other than an application's transition (a filed
    space's report, evaluation or status); their e-mail through the outbox, as for transitions."""
    from makerspace.core.outbox import outbox_enqueue

    from .tasks import send_notification_emails

    with transaction.atomic():
        created = Notification.objects.bulk_create(
            Notification(recipient=user, kind=kind, title=title[:200], body=body, link=link) for user in users
        )
        if created:
            outbox_enqueue(send_notification_emails, [n.pk for n in created])
    return created
