"""Writes of performance evaluation (绩效评价): the round and its indicator sheet, the experts'
scores, grading by the province's thresholds, publication, appeals, and the two-D rule when the
result becomes final. Expert scores are aggregated as in `makerspace.scoring` (trimmed mean, at
least three experts, divergence flags) and conflicts are refused by its own check."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from makerspace.audit.services import audit_record
from makerspace.core.errors import StateConflict
from makerspace.notifications.services import notify_users
from makerspace.permissions import require
from makerspace.scoring.aggregate import MIN_EXPERTS, summarise

from .models import (
    EXPERT,
    MANAGED,
    Appeal,
    Evaluation,
    EvaluationRound,
    ExpertScore,
    FiledSpace,
    Grade,
    Indicator,
    ReportRound,
    RevocationRule,
)
from .workflow import FILED


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    weight: int
    source: str
    full_at: Decimal | None = None


# The 工作指引's conditions and tasks as the starting sheet; the province edits weights per round.
DEFAULT_SHEET = (
    IndicatorSpec("专业化服务团队（大专以上人数）", 10, "team_college_count", Decimal(10)),
    IndicatorSpec("创业导师队伍", 10, "mentor_count", Decimal(10)),
    IndicatorSpec("公共服务场地", 10, "public_area", Decimal(1000)),
    IndicatorSpec("在孵企业规模", 15, "incubated_enterprises", Decimal(30)),
    IndicatorSpec("毕业企业", 10, "graduated_enterprises", Decimal(5)),
    IndicatorSpec("投融资服务成效", 10, "financing", Decimal(1000)),
    IndicatorSpec("知识产权（发明专利）", 10, "invention_patents", Decimal(10)),
    IndicatorSpec("带动就业", 5, "jobs", Decimal(200)),
    IndicatorSpec("专业化服务能力与示范带动（专家评分）", 20, EXPERT),
)


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _operators(filed_spaces):
    from makerspace.accounts.models import Role, User

    return User.objects.filter(
        is_active=True, role=Role.APPLICANT, organisation__filed_spaces__in=filed_spaces
    ).distinct()


def evaluation_round_create(
    *,
    user,
    report_round: ReportRound,
    title: str = "",
    grade_a_min: Decimal = Decimal(85),
    grade_b_min: Decimal = Decimal(70),
    grade_c_min: Decimal = Decimal(60),
    appeal_days: int = 10,
    sheet=DEFAULT_SHEET,
) -> EvaluationRound:
    """One evaluation per space that had a report task in the round."""
    require(user, "filed.manage_evaluation", message="只有省科技厅可以组织绩效评价。")
    if not grade_a_min >= grade_b_min >= grade_c_min:
        raise ValidationError({"grade_a_min": "分档线应满足 A ≥ B ≥ C。"})
    with transaction.atomic():
        evaluation_round = EvaluationRound(
            year=report_round.year,
            title=title.strip() or f"{report_round.year}年度绩效评价",
            report_round=report_round,
            grade_a_min=grade_a_min,
            grade_b_min=grade_b_min,
            grade_c_min=grade_c_min,
            appeal_days=appeal_days,
            created_by=user,
        )
        evaluation_round.full_clean()
        evaluation_round.save()
        Indicator.objects.bulk_create(
            Indicator(
                round=evaluation_round,
                position=position,
                name=spec.name,
                weight=spec.weight,
                source=spec.source,
                full_at=spec.full_at,
            )
            for position, spec in enumerate(sheet, start=1)
        )
        Evaluation.objects.bulk_create(
            Evaluation(
                round=evaluation_round,
                filed_space_id=report.filed_space_id,
                report=report if report.state in FILED else None,
            )
            for report in report_round.reports.filter(filed_space__status__in=MANAGED).order_by(
                "filed_space_id"
            )
        )
        audit_record(
            action="filed.evaluation_create",
            actor=user,
            target=evaluation_round,
            summary=f"组织{evaluation_round.title}",
            payload={"a": str(grade_a_min), "b": str(grade_b_min), "c": str(grade_c_min)},
        )
    return evaluation_round


def indicator_weights_set(*, user, evaluation_round: EvaluationRound, weights: dict[int, Decimal]) -> None:
    """The province sets the sheet's weights before grading; the total must stay positive."""
    require(user, "filed.manage_evaluation", message="只有省科技厅可以设置指标权重。")
    if evaluation_round.graded_at is not None:
        raise StateConflict("已评定等级，不能再修改权重。")
    indicators = {i.pk: i for i in evaluation_round.indicators.all()}
    if set(weights) - set(indicators):
        raise ValidationError("指标不属于本轮绩效评价。")
    if any(w < 0 for w in weights.values()):
        raise ValidationError("权重不能为负数。")
    changed = {pk: w for pk, w in weights.items() if indicators[pk].weight != w}
    for pk, weight in changed.items():
        indicators[pk].weight = weight
    if sum(i.weight for i in indicators.values()) <= 0:
        raise ValidationError("权重合计应大于0。")
    if not changed:
        return
    with transaction.atomic():
        Indicator.objects.bulk_update([indicators[pk] for pk in changed], ["weight"])
        audit_record(
            action="filed.indicator_weights",
            actor=user,
            target=evaluation_round,
            summary=f"{evaluation_round.title}：调整指标权重",
            payload={indicators[pk].name: str(w) for pk, w in changed.items()},
        )


def conflicts_of(expert, evaluation: Evaluation) -> list[str]:
    from makerspace.scoring.conflicts import conflicts_between
    from makerspace.scoring.models import ConflictDeclaration, ExpertProfile

    application = evaluation.filed_space.application
    profile = ExpertProfile.objects.filter(user=expert).first()
    declarations = list(ConflictDeclaration.objects.filter(expert=expert))
    return conflicts_between(expert, profile, declarations, application)


def expert_score_record(*, user, evaluation: Evaluation, score: Decimal, comment: str = "") -> ExpertScore:
    require(user, "filed.score_evaluation", evaluation, "只有评审专家可以评分。")
    if evaluation.round.graded_at is not None:
        raise StateConflict("本轮绩效评价已评定等级，不能再评分。")
    reasons = conflicts_of(user, evaluation)
    if reasons:
        raise PermissionDenied(f"存在利益冲突，不能评分：{'；'.join(reasons)}")
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": "评分应在0–100之间。"})
    with transaction.atomic():
        expert_score, _ = ExpertScore.objects.update_or_create(
            evaluation=evaluation, expert=user, defaults={"score": score, "comment": comment.strip()}
        )
        audit_record(
            action="filed.expert_score",
            actor=user,
            target=evaluation,
            summary=f"{evaluation.filed_space.name}：专家评分 {score}",
        )
    return expert_score


def score_of(evaluation: Evaluation, indicators: list[Indicator], expert_scores: list[Decimal]):
    """(score, divergent, missing experts): each figure indicator scores its share of `full_at`
    (capped at 100), the expert indicators the trimmed mean of the experts; weighted to 100."""
    summary = summarise(expert_scores, len(expert_scores))
    needs_experts = any(i.source == EXPERT for i in indicators)
    if evaluation.report is None:
        return Decimal("0.00"), False, False
    if needs_experts and summary.submitted < MIN_EXPERTS:
        return None, summary.divergent, True
    total_weight = sum((i.weight for i in indicators), Decimal(0))
    weighted = Decimal(0)
    for indicator in indicators:
        if indicator.source == EXPERT:
            points = summary.trimmed
        else:
            value = Decimal(getattr(evaluation.report, indicator.source) or 0)
            points = min(Decimal(100), value / indicator.full_at * 100) if indicator.full_at else Decimal(0)
        weighted += indicator.weight * points
    return _q(weighted / total_weight) if total_weight else Decimal("0.00"), summary.divergent, False


def evaluation_round_grade(*, user, evaluation_round: EvaluationRound) -> list[Evaluation]:
    """Score and grade every space; a space without a filed report scores 0 (grade D)."""
    require(user, "filed.manage_evaluation", message="只有省科技厅可以评定等级。")
    if evaluation_round.published_at is not None:
        raise StateConflict("本轮绩效评价结果已公布。")
    indicators = list(evaluation_round.indicators.all())
    evaluations = list(
        evaluation_round.evaluations.select_related("report", "filed_space").prefetch_related("expert_scores")
    )
    lacking = []
    with transaction.atomic():
        for evaluation in evaluations:
            scores = [s.score for s in evaluation.expert_scores.all()]
            score, divergent, missing = score_of(evaluation, indicators, scores)
            if missing:
                lacking.append(evaluation.filed_space.name)
                continue
            evaluation.score = score
            evaluation.grade = evaluation_round.grade_of(score)
            evaluation.divergent = divergent
        if lacking:
            raise ValidationError(f"以下空间的专家评分不足{MIN_EXPERTS}位：{'、'.join(lacking)}。")
        Evaluation.objects.bulk_update(evaluations, ["score", "grade", "divergent"])
        evaluation_round.graded_at = timezone.now()
        evaluation_round.save(update_fields=["graded_at"])
        audit_record(
            action="filed.evaluation_grade",
            actor=user,
            target=evaluation_round,
            summary=f"{evaluation_round.title}评定等级",
            payload={str(e.filed_space_id): e.grade for e in evaluations},
        )
    return evaluations


def evaluation_round_publish(*, user, evaluation_round: EvaluationRound) -> EvaluationRound:
    """Publish the result list; the appeal window opens."""
    require(user, "filed.manage_evaluation", message="只有省科技厅可以公布评价结果。")
    if evaluation_round.graded_at is None:
        raise StateConflict("请先评定等级。")
    if evaluation_round.published_at is not None:
        raise StateConflict("本轮绩效评价结果已公布。")
    with transaction.atomic():
        now = timezone.now()
        evaluation_round.published_at = now
        evaluation_round.appeal_until = now + timedelta(days=evaluation_round.appeal_days)
        evaluation_round.save(update_fields=["published_at", "appeal_until"])
        audit_record(
            action="filed.evaluation_publish",
            actor=user,
            target=evaluation_round,
            summary=f"公布{evaluation_round.title}结果",
        )
        spaces = FiledSpace.objects.filter(evaluations__round=evaluation_round)
        until = timezone.localtime(evaluation_round.appeal_until)
        notify_users(
            users=list(_operators(spaces)),
            kind="evaluation_published",
            title=f"{evaluation_round.title}结果已公布",
            body=f"如有异议，请于{until:%Y-%m-%d %H:%M}前提出申诉。",
            link=reverse("filed:evaluation_results", args=[evaluation_round.pk]),
        )
    return evaluation_round


def appeal_file(*, user, evaluation: Evaluation, reason: str) -> Appeal:
    require(user, "filed.appeal_evaluation", evaluation, "只有该空间的运营主体可以申诉。")
    evaluation_round = evaluation.round
    if evaluation_round.published_at is None or timezone.now() > evaluation_round.appeal_until:
        raise StateConflict("不在申诉期内。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写申诉理由。"})
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise StateConflict("该评价结果已提出过申诉。")
    with transaction.atomic():
        appeal = Appeal.objects.create(evaluation=evaluation, reason=reason.strip(), filed_by=user)
        audit_record(
            action="filed.appeal_file",
            actor=user,
            target=evaluation,
            summary=f"{evaluation.filed_space.name}对{evaluation_round.title}结果提出申诉",
        )
    return appeal


def appeal_decide(*, user, appeal: Appeal, upheld: bool, comment: str, new_grade: str = "") -> Appeal:
    require(user, "filed.manage_evaluation", message="只有省科技厅可以处理申诉。")
    if not appeal.is_pending:
        raise StateConflict("该申诉已处理。")
    if not comment.strip():
        raise ValidationError({"comment": "请填写处理意见。"})
    if upheld and new_grade not in Grade.values:
        raise ValidationError({"new_grade": "申诉成立时请选择调整后的等级。"})
    with transaction.atomic():
        appeal.decision = Appeal.Decision.UPHELD if upheld else Appeal.Decision.REJECTED
        appeal.new_grade = new_grade if upheld else ""
        appeal.decided_by = user
        appeal.decided_at = timezone.now()
        appeal.comment = comment.strip()
        appeal.save()
        evaluation = appeal.evaluation
        old = evaluation.grade
        if upheld:
            evaluation.grade = new_grade
            evaluation.save(update_fields=["grade"])
        audit_record(
            action="filed.appeal_decide",
            actor=user,
            target=evaluation,
            summary=f"{evaluation.filed_space.name}申诉：{appeal.get_decision_display()}",
            payload={"from": old, "to": evaluation.grade},
        )
    return appeal


def evaluation_round_finalise(*, user, evaluation_round: EvaluationRound) -> list[FiledSpace]:
    """After the appeal window and every appeal decided, the result is final and the two-D rule
    applies: a space graded D this round and D in the evaluation before is revoked."""
    from .rules import two_d_grades
    from .services import filed_space_end

    require(user, "filed.manage_evaluation", message="只有省科技厅可以确定评价结果。")
    if evaluation_round.published_at is None:
        raise StateConflict("评价结果尚未公布。")
    if evaluation_round.finalised_at is not None:
        raise StateConflict("评价结果已确定。")
    if timezone.now() <= evaluation_round.appeal_until:
        raise StateConflict(
            f"申诉期至{timezone.localtime(evaluation_round.appeal_until):%Y-%m-%d %H:%M}，尚未结束。"
        )
    if Appeal.objects.filter(evaluation__round=evaluation_round, decision=Appeal.Decision.PENDING).exists():
        raise StateConflict("还有未处理的申诉。")
    revoked = []
    with transaction.atomic():
        evaluation_round.finalised_at = timezone.now()
        evaluation_round.save(update_fields=["finalised_at"])
        audit_record(
            action="filed.evaluation_finalise",
            actor=user,
            target=evaluation_round,
            summary=f"确定{evaluation_round.title}结果",
        )
        d_spaces = list(
            evaluation_round.evaluations.filter(grade=Grade.D).select_related("filed_space__application")
        )
        history = {}
        for year, space_id, grade in Evaluation.objects.filter(
            filed_space_id__in=[e.filed_space_id for e in d_spaces],
            round__finalised_at__isnull=False,
        ).values_list("round__year", "filed_space_id", "grade"):
            history.setdefault(space_id, {})[year] = grade
        for evaluation in d_spaces:
            filed_space = evaluation.filed_space
            if filed_space.status in ("active", "rectifying") and two_d_grades(
                filed_space, history.get(filed_space.pk, {}), evaluation_round.year
            ):
                filed_space_end(
                    user=user,
                    filed_space=filed_space,
                    rule=RevocationRule.TWO_D_GRADES,
                    reason=f"{evaluation_round.year}年度及上一次绩效评价均为D。",
                )
                revoked.append(filed_space)
    return revoked
