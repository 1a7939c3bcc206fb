"""Reminders of the annual report's deadline: 7, 3 and 1 days before, exactly once per threshold."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from makerspace.filed.models import ReminderSent
from makerspace.filed.services import reminders_send

from .helpers import submitted, task

pytestmark = pytest.mark.django_db


def _reminders(user):
    return list(user.notifications.filter(kind="annual_report_reminder").order_by("pk"))


def test_reminders_go_out_exactly_once_per_threshold(world, mailoutbox, django_capture_on_commit_callbacks):
    report = task(world, days=10)
    deadline = report.round.deadline

    def run(days_left: float) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(now=deadline - timedelta(days=days_left))

    assert run(9) == 0
    assert run(7) == 1
    assert run(6.5) == 0  # the 7-day reminder already went out
    assert run(3) == 1
    assert run(3) == 0
    assert run(0.9) == 1
    assert run(0.5) == 0
    assert run(-1) == 0  # after the deadline the report is missing, not reminded

    titles = [n.title for n in _reminders(world.applicant)]
    assert [t.rsplit("还有", 1)[1] for t in titles] == ["7天", "3天", "1天"]
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [1, 3, 7]
    assert len(mailoutbox) == 3


def test_a_late_run_sends_only_the_tightest_threshold_and_never_the_passed_ones(world):
    report = task(world, days=10)
    assert reminders_send(now=report.round.deadline - timedelta(days=2)) == 1
    assert [n.title[-3:] for n in _reminders(world.applicant)] == ["有3天"]
    assert reminders_send(now=report.round.deadline - timedelta(days=2)) == 0
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [3, 7]


def test_a_submitted_report_is_not_reminded(world):
    report = submitted(task(world, days=10), world.applicant)
    assert reminders_send(now=report.round.deadline - timedelta(days=1)) == 0
    assert not _reminders(world.applicant)


def test_the_database_refuses_a_second_reminder_at_one_threshold(world):
    report = task(world, days=10)
    ReminderSent.objects.create(report=report, days_before=3)
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(report=report, days_before=3)


def test_the_management_command_sends_due_reminders(world, capsys):
    task(world, days=2)
    call_command("send_report_reminders")
    assert "已提醒1份" in capsys.readouterr().out
    assert len(_reminders(world.applicant)) == 1


def test_a_revoked_space_is_not_reminded(world):
    from makerspace.filed.services import filed_space_end

    report = task(world, days=10)
    filed_space_end(user=world.province, filed_space=report.filed_space, rule="fraud", reason="虚构数据")
    assert reminders_send(now=report.round.deadline - timedelta(days=1)) == 0
