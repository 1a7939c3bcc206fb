"""The demo data carries an expert with a submitted sheet and a 公示 holding the selection back."""

import pytest

from makerspace.core.demo import seed_demo
from makerspace.publicity.models import NoticePeriod
from makerspace.publicity.rules import publicity_blockers
from makerspace.scoring.models import Assignment

pytestmark = pytest.mark.django_db


def test_demo_has_scored_assignments_and_a_notice_period():
    seed_demo()
    assignments = Assignment.objects.select_related("expert")
    assert assignments.count() == 3
    assert assignments.filter(expert__username="expert", submitted_at__isnull=False).exists()
    notice = NoticePeriod.objects.get()
    assert notice.entries.count() == 1
    assert publicity_blockers(notice.batch)  # the period runs: the selection waits
