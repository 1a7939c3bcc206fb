"""The demo holds filed spaces with two years of reports, one evaluation round with grades, a
change request and a revocation, all made by the real services."""

import pytest

from makerspace.core.demo import seed_demo
from makerspace.filed.models import (
    AnnualReport,
    ChangeRequest,
    EvaluationRound,
    FiledSpace,
    ReportRound,
    Status,
)
from makerspace.filed.workflow import ReportState

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_life_after_filing():
    seed_demo()
    spaces = FiledSpace.objects.all()
    assert spaces.count() == 4
    assert ReportRound.objects.count() == 2
    last, this = ReportRound.objects.order_by("year")
    assert set(last.reports.values_list("state", flat=True)) == {ReportState.ACCEPTED}
    assert sorted(this.reports.values_list("state", flat=True)) == sorted(
        [ReportState.ACCEPTED, ReportState.AT_RECOMMENDER, ReportState.DRAFT]
    )
    draft = this.reports.get(state=ReportState.DRAFT)
    assert draft.team_size is not None  # prefilled from last year's report
    evaluation_round = EvaluationRound.objects.get()
    assert evaluation_round.published_at is not None
    grades = list(evaluation_round.evaluations.values_list("grade", flat=True))
    assert sorted(grades) == ["A", "B", "C", "D"]
    assert spaces.filter(status=Status.REVOKED).count() == 1
    assert spaces.filter(status=Status.RECTIFYING).count() == 1
    assert ChangeRequest.objects.get().state == ChangeRequest.State.AT_PROVINCE
    assert AnnualReport.objects.count() == 7
