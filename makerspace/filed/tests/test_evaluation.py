"""Performance evaluation: figures and experts, grades by thresholds, publication, appeals, and
the two-D rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from makerspace.core.errors import StateConflict
from makerspace.core.tests.factories import make_expert
from makerspace.filed import evaluations, services
from makerspace.filed.models import Appeal, Evaluation, EvaluationRound, Grade, RevocationRule, Status

from .helpers import filed, open_round, pass_deadline, report_of, submitted

pytestmark = pytest.mark.django_db


def _experts(world, count=3):
    return [make_expert(world, organisation_name=f"评审大学{n}", city="外省") for n in range(count)]


def _accepted(world, report):
    submitted(report, world.applicant)
    services.report_transition(user=world.recommender, report=report, name="forward")
    services.report_transition(user=world.province, report=report, name="accept")
    return report


def _round(world, year, spaces, reporting=(), **kwargs) -> EvaluationRound:
    """A report round of `year` where the spaces in `reporting` filed and the rest missed, and its
    evaluation round."""
    report_round = open_round(world, year=year)
    for filed_space in reporting:
        _accepted(world, report_of(report_round, filed_space))
    pass_deadline(report_round)
    services.round_close(user=world.province, report_round=report_round)
    return evaluations.evaluation_round_create(user=world.province, report_round=report_round, **kwargs)


def _score_all(world, evaluation_round, experts, score=Decimal(80)):
    for evaluation in evaluation_round.evaluations.select_related("filed_space__application"):
        if evaluation.report_id:
            for expert in experts:
                evaluations.expert_score_record(user=expert, evaluation=evaluation, score=score)


def _final(world, evaluation_round):
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    evaluations.evaluation_round_publish(user=world.province, evaluation_round=evaluation_round)
    EvaluationRound.objects.filter(pk=evaluation_round.pk).update(
        appeal_until=timezone.now() - timedelta(minutes=1)
    )
    evaluation_round.refresh_from_db()
    return evaluations.evaluation_round_finalise(user=world.province, evaluation_round=evaluation_round)


def test_scores_come_from_the_reports_figures_and_the_experts_trimmed_mean(world):
    filed_space = filed(world)
    evaluation_round = _round(world, 2030, [filed_space], reporting=[filed_space])
    evaluation = evaluation_round.evaluations.get()
    for expert, score in zip(_experts(world), (70, 80, 100), strict=True):
        evaluations.expert_score_record(user=expert, evaluation=evaluation, score=Decimal(score))

    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)

    evaluation.refresh_from_db()
    # Figures against the default sheet's full marks: 10/10, 8/10, 800/1000, 25/30, 4/5,
    # 1000+/1000, 9/10, 200+/200, and the experts' trimmed mean 80, weighted to 100.
    expected = (
        10 * 100
        + 10 * 80
        + 10 * 80
        + 15 * Decimal(25) / 30 * 100
        + 10 * 80
        + 10 * 100
        + 10 * 90
        + 5 * 100
        + 20 * 80
    ) / 100
    assert evaluation.score == expected.quantize(Decimal("0.01"))
    assert evaluation.score == Decimal("86.50")
    assert evaluation.grade == Grade.A  # ≥ 85, the default A threshold


def test_grades_follow_the_provinces_thresholds(world):
    filed_space = filed(world)
    evaluation_round = _round(
        world, 2030, [filed_space], reporting=[filed_space], grade_a_min=Decimal(90), grade_b_min=Decimal(86)
    )
    _score_all(world, evaluation_round, _experts(world))
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    assert evaluation_round.evaluations.get().grade == Grade.B  # 86.50: over the B line, under the A line


def test_grading_needs_three_experts_and_a_missing_report_is_graded_d(world):
    reporting, missing = filed(world), filed(world)
    evaluation_round = _round(world, 2030, [reporting, missing], reporting=[reporting])
    two = _experts(world, 2)
    _score_all(world, evaluation_round, two)
    with pytest.raises(ValidationError):
        evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    _score_all(world, evaluation_round, _experts(world, 1))
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    assert Evaluation.objects.get(round=evaluation_round, filed_space=missing).grade == Grade.D


def test_an_expert_with_a_conflict_may_not_score(world):
    filed_space = filed(world)
    evaluation_round = _round(world, 2030, [filed_space], reporting=[filed_space])
    local = make_expert(world, organisation_name="本地大学", city=world.unit.city)
    with pytest.raises(PermissionDenied):
        evaluations.expert_score_record(
            user=local, evaluation=evaluation_round.evaluations.get(), score=Decimal(90)
        )


def test_two_d_grades_in_a_row_revoke_the_space(world):
    weak, good = filed(world), filed(world)
    experts = _experts(world)
    first = _round(world, 2030, [weak, good], reporting=[good])
    _score_all(world, first, experts)
    assert _final(world, first) == []
    weak.refresh_from_db()
    assert weak.status == Status.ACTIVE

    second = _round(world, 2031, [weak, good], reporting=[good])
    _score_all(world, second, experts)
    revoked = _final(world, second)

    assert revoked == [weak]
    weak.refresh_from_db()
    good.refresh_from_db()
    assert weak.status == Status.REVOKED
    assert weak.history.last().rule == RevocationRule.TWO_D_GRADES
    assert good.status == Status.ACTIVE


def test_an_appeal_within_the_window_may_change_the_grade_before_the_result_is_final(world):
    weak = filed(world)
    first = _round(world, 2030, [weak])
    _final(world, first)
    second = _round(world, 2031, [weak])
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=second)
    evaluations.evaluation_round_publish(user=world.province, evaluation_round=second)
    evaluation = second.evaluations.get()
    with pytest.raises(PermissionDenied):
        evaluations.appeal_file(user=world.recommender, evaluation=evaluation, reason="数据有误")
    appeal = evaluations.appeal_file(
        user=world.applicant, evaluation=evaluation, reason="报告已按时提交，系统未记录"
    )
    with pytest.raises(StateConflict):
        evaluations.evaluation_round_finalise(user=world.province, evaluation_round=second)
    evaluations.appeal_decide(
        user=world.province, appeal=appeal, upheld=True, new_grade="C", comment="核实属实"
    )

    assert _final_after_window(world, second) == []
    assert Appeal.objects.get().decision == Appeal.Decision.UPHELD
    weak.refresh_from_db()
    assert weak.status == Status.ACTIVE


def _final_after_window(world, evaluation_round):
    EvaluationRound.objects.filter(pk=evaluation_round.pk).update(
        appeal_until=timezone.now() - timedelta(minutes=1)
    )
    evaluation_round.refresh_from_db()
    return evaluations.evaluation_round_finalise(user=world.province, evaluation_round=evaluation_round)


def test_the_published_result_list_is_public_and_only_once_published(world, client):
    filed_space = filed(world)
    evaluation_round = _round(world, 2030, [filed_space])
    url = reverse("filed:evaluation_results", args=[evaluation_round.pk])
    assert client.get(url).status_code == 404
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    evaluations.evaluation_round_publish(user=world.province, evaluation_round=evaluation_round)
    page = client.get(url).content.decode()
    assert filed_space.name in page and "D（不合格）" in page


def test_the_province_sets_the_weights_before_grading(world):
    filed_space = filed(world)
    evaluation_round = _round(world, 2030, [filed_space], reporting=[filed_space])
    expert_indicator = evaluation_round.indicators.get(source="expert")
    others = evaluation_round.indicators.exclude(pk=expert_indicator.pk)
    weights = {expert_indicator.pk: Decimal(0), **{i.pk: Decimal(10) for i in others}}
    with pytest.raises(PermissionDenied):
        evaluations.indicator_weights_set(
            user=world.recommender, evaluation_round=evaluation_round, weights=weights
        )
    evaluations.indicator_weights_set(user=world.province, evaluation_round=evaluation_round, weights=weights)
    _score_all(world, evaluation_round, _experts(world), score=Decimal(0))
    evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
    # The experts' zero weighs nothing now: 1000+800+800+833.33+800+1000+900+1000 over 80.
    assert evaluation_round.evaluations.get().score == Decimal("89.17")
    with pytest.raises(StateConflict):
        evaluations.indicator_weights_set(
            user=world.province, evaluation_round=evaluation_round, weights=weights
        )
