"""Deadline reminders (issue: the review chain as data): each party with pending work in a step
is reminded 7, 3 and 1 days before the step's deadline, exactly once per threshold."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from makerspace.batches.models import DeadlineExtension, Kind, Level
from makerspace.core.tests.factories import BatchFactory, World
from makerspace.notifications.models import DeadlineReminder, Notification
from makerspace.notifications.reminders import send_deadline_reminders, threshold

pytestmark = pytest.mark.django_db


def reminders_of(user):
    return list(Notification.objects.filter(recipient=user, kind="deadline_reminder").order_by("pk"))


def test_thresholds_are_the_nearest_crossed_one():
    assert threshold(timedelta(days=8)) is None
    assert threshold(timedelta(days=7)) == 7
    assert threshold(timedelta(days=6, hours=23)) == 7
    assert threshold(timedelta(days=2, hours=5)) == 3
    assert threshold(timedelta(hours=3)) == 1
    assert threshold(timedelta(0)) is None
    assert threshold(timedelta(hours=-1)) is None


def test_reminders_go_out_exactly_once_per_threshold(django_capture_on_commit_callbacks):
    world = World()
    application = world.submitted()  # at the 主管部门
    deadline = world.batch.step(Kind.ATTEST).deadline

    for days_left, expected in [(8, 0), (6.5, 1), (6, 1), (5, 1), (2.5, 2), (2, 2), (0.5, 3), (0.2, 3)]:
        with django_capture_on_commit_callbacks(execute=True):
            send_deadline_reminders(now=deadline - timedelta(days=days_left))
        assert len(reminders_of(world.supervisor)) == expected, days_left

    first, second, third = reminders_of(world.supervisor)
    assert "还有7天以内" in first.title and "还有3天以内" in second.title and "还有1天以内" in third.title
    assert application.number in first.body
    assert first.link == "/review/supervisor/"
    # each in-app reminder is also mailed, once
    assert len([m for m in mail.outbox if world.supervisor.email in m.to]) == 3
    # nobody without pending work in the step is reminded
    assert reminders_of(world.recommender) == []
    assert reminders_of(world.province) == []


def test_a_late_first_run_sends_only_the_nearest_threshold():
    world = World()
    world.submitted()
    deadline = world.batch.step(Kind.ATTEST).deadline

    send_deadline_reminders(now=deadline - timedelta(hours=20))
    send_deadline_reminders(now=deadline - timedelta(hours=10))

    assert [r.days for r in DeadlineReminder.objects.filter(recipient=world.supervisor)] == [1]


def test_applicants_with_drafts_are_reminded_of_the_submission_deadline():
    world = World()
    draft = world.complete_draft()
    submitted_elsewhere = World()
    submitted_elsewhere.submitted()

    send_deadline_reminders(now=world.batch.applicant_deadline - timedelta(days=2))

    (reminder,) = reminders_of(world.applicant)
    assert Level.APPLICANT.label in reminder.title
    assert draft.number or draft.space.name in reminder.body
    assert reminders_of(submitted_elsewhere.applicant) == []


def test_an_extended_deadline_is_reminded_against_the_new_date():
    world = World()
    world.advance(world.submitted(), "forward")  # at the recommending unit
    step = world.batch.step(Kind.UNIT_REVIEW)
    send_deadline_reminders(now=step.deadline - timedelta(days=2))
    assert [r.days for r in DeadlineReminder.objects.filter(recipient=world.recommender)] == [3]

    DeadlineExtension.objects.create(
        batch=world.batch,
        level=Level.UNIT_REVIEW,
        recommending_unit=world.unit,
        new_deadline=step.deadline + timedelta(days=10),
        reason="暴雨停电",
        granted_by=world.province,
    )
    # the old date is no longer the unit's deadline: nothing is due at it
    send_deadline_reminders(now=step.deadline - timedelta(hours=12))
    assert [r.days for r in DeadlineReminder.objects.filter(recipient=world.recommender)] == [3]
    send_deadline_reminders(now=step.deadline + timedelta(days=9))
    reminders = DeadlineReminder.objects.filter(recipient=world.recommender).order_by("pk")
    assert [(r.days, r.deadline) for r in reminders][-1] == (1, step.deadline + timedelta(days=10))


def test_closed_batches_and_a_chain_without_the_step_remind_nobody():
    batch = BatchFactory(chain="province_receipt")
    world = World(batch=batch)
    world.submitted()  # goes straight to the unit: this chain has no 主管部门
    closed = World()
    closed.submitted()
    closed.batch.status = closed.batch.Status.CLOSED
    closed.batch.save()

    send_deadline_reminders(now=timezone.now() + timedelta(days=29))

    assert reminders_of(world.supervisor) == []
    assert reminders_of(closed.supervisor) == []


def test_the_command_sends_the_due_reminders(capsys):
    world = World()
    world.submitted()
    step = world.batch.step(Kind.ATTEST)
    step.deadline = timezone.now() + timedelta(days=2)
    step.save()

    call_command("send_deadline_reminders")
    call_command("send_deadline_reminders")

    assert len(reminders_of(world.supervisor)) == 1
    assert "已发送截止提醒 1 条" in capsys.readouterr().out
