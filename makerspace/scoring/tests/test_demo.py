"""The demo data carries an expert with a submitted sheet and a 公示 that has already ended, so a
newcomer can finish the chain in one sitting."""

import pytest

from makerspace.accounts.models import User
from makerspace.applications.models import Application
from makerspace.applications.services import application_transition
from makerspace.applications.workflow import State
from makerspace.audit.services import audit_verify
from makerspace.core.demo import seed_demo
from makerspace.publicity.models import NoticePeriod
from makerspace.publicity.rules import publicity_blockers
from makerspace.scoring.models import Assignment

pytestmark = pytest.mark.django_db


def test_demo_has_scored_assignments_and_a_notice_period():
    seed_demo()
    assignments = Assignment.objects.select_related("expert")
    assert assignments.count() == 9  # three experts for each of the three ranked applications
    assert assignments.filter(expert__username="expert", submitted_at__isnull=False).exists()
    notice = NoticePeriod.objects.get()
    assert notice.entries.count() == 3
    # the two selected before today went after the notice had ended
    from makerspace.applications.models import ApplicationEvent

    for event in ApplicationEvent.objects.filter(transition="select", application__batch=notice.batch):
        assert event.at.date() > notice.ends_on


def test_the_demo_publicity_has_ended_so_the_chain_can_be_finished_today():
    """What was seen: the demo's 公示 started today, so 择优 was refused for five working days."""
    seed_demo()
    notice = NoticePeriod.objects.get()
    assert publicity_blockers(notice.batch) == []
    passed = Application.objects.get(state=State.FORMAL_PASSED, batch=notice.batch)
    province = User.objects.get(username="province")
    ministry = User.objects.get(username="ministry")

    for user, name in [(province, "select"), (ministry, "file"), (ministry, "publish")]:
        application_transition(user=user, application=passed, name=name)

    passed.refresh_from_db()
    assert passed.state == State.PUBLISHED
    assert passed.batch.applicant_deadline > notice.created_at  # the open batch still takes applications
    assert audit_verify()[1] is None
