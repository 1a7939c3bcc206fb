"""The rules of DESIGN §4 as conditions of the state machine's transitions.

Each rule is a function of the application (and the transition it guards) that returns what is
still unmet, as messages a user reads; `workflow.GUARDS` says which rules guard which transition.
The rules read what the parties recorded (reviews, document opens, scans, receipts, the credit
register, rankings), never what a caller claims, so firing a transition directly cannot skip one.
A rule about the party firing the transition (the reviewer's integrity) is declared `of_actor` and
is also handed who fires it. A rule whose part holds for the whole batch (the deadline, the quota,
the 公示) declares that part as `of_batch(batch, kind, unit_id)`, which the rule itself runs: a page
shows why an action is disabled for every row from `workflow.batch_unmet`, the same declaration.
Models are imported inside the functions: this module is loaded by the state machine, which the
models themselves import.
"""

from collections.abc import Callable
from dataclasses import dataclass

from makerspace.core.prepared import Prepared


class ChainEnd(Exception):
    """The chain has no step after this one."""


@dataclass(frozen=True)
class Rule:
    code: str
    check: Callable[..., list[str]]
    # Checked as check(application, name, actor): the rule is about who fires the transition.
    of_actor: bool = False
    # The part of the rule that holds for a whole batch at a step of `kind` (for a unit's rows).
    of_batch: Callable[..., list[str]] | None = None

    def __repr__(self) -> str:
        return f"Rule({self.code}, {self.check.__name__})"


@dataclass(frozen=True)
class Unmet:
    rule: str
    message: str


def _deadline_message(batch, level: str, unit_id=None) -> list[str]:
    from makerspace.batches.deadlines import deadline_problem

    problem = deadline_problem(batch, level, unit_id)
    return [problem] if problem else []


def r5_submission_open(application, name) -> list[str]:
    from makerspace.batches.models import Level

    return _deadline_message(application.batch, Level.APPLICANT, application.recommending_unit_id)


def r5_step_open(application, name) -> list[str]:
    from .workflow import kind_of

    return _deadline_message(application.batch, kind_of(application.state), application.recommending_unit_id)


def r1_to_r4_ready(application, name) -> list["Unmet"]:
    """R1–R4: every readiness item, each under its own rule (`requirements.readiness`)."""
    from .requirements import readiness

    return [Unmet(item.rule, item.message) for item in readiness(application)]


def frozen_version(application, name) -> list[str]:
    """What is submitted is a frozen, numbered version that no earlier submission used."""
    number = application.current_version
    if number < 1 or not _VERSION_EXISTS(application.pk, number):
        return ["提交前须冻结当前内容为新的版本。"]
    if _SUBMITTED_EXISTS(application.pk, number):
        return [f"第{number}版已经提交过，请修改后重新提交。"]
    return []


def _version_exists(application_id: int, number: int):
    from .models import ApplicationVersion

    return ApplicationVersion.objects.filter(application_id=application_id, number=number).values("pk")[:1]


def _submitted_exists(application_id: int, number: int):
    from .models import ApplicationEvent

    events = ApplicationEvent.objects.filter(application_id=application_id, transition="submit")
    return events.filter(version_number=number).values("pk")[:1]


# Asked by every submission: compiled once (makerspace.core.prepared).
_VERSION_EXISTS = Prepared(_version_exists, int, int)
_SUBMITTED_EXISTS = Prepared(_submitted_exists, int, int)


def r8_no_bad_credit(application, name) -> list[str]:
    """R8: no bad credit record of the applicant in force, at every checkpoint of the chain."""
    from makerspace.credit.selectors import check_r8_credit

    check = check_r8_credit(application.space.organisation)
    return [] if check.clean else [check.refusal(R8_CHECKPOINTS.get(name, "chain"))]


# How the R8 refusal reads at the checkpoints the notice names.
R8_CHECKPOINTS = {"submit": "submission", "forward": "supervisor", "pass_formal_review": "formal_review"}


def r3_supervisor_commitment(application, name) -> list[str]:
    from makerspace.reviews import checks

    missing = checks.missing_materials(
        application, list(application.attachments.all()), required=checks.UP_TO_SUPERVISOR
    )
    return [f"缺少：{checks.Material(m).label}" for m in missing]


def _stage(application) -> str:
    from makerspace.reviews.checklists import STAGE_OF_STATE

    return STAGE_OF_STATE[application.state]


def decided_review(application):
    """The review whose decision is being carried out: the latest decided one of the version under
    review at the application's current stage."""
    from makerspace.reviews.models import Review

    return (
        Review.objects.filter(
            application=application,
            version_number=application.current_version,
            stage=_stage(application),
            decided_at__isnull=False,
        )
        .select_related("reviewer")
        .order_by("-decided_at", "-pk")
        .first()
    )


def _reviewed(decisions: set[str]):
    def check(application, name) -> list[str]:
        """R6: an itemised review of this version decided so, every item judged with a comment and
        every document of the version opened by its reviewer (严禁审核走过场)."""
        from makerspace.reviews import checks, selectors

        review = decided_review(application)
        if review is None or review.decision not in decisions:
            return ["须先完成逐项审核并作出相应的审核结论（严禁审核走过场）。"]
        judged = {j.item_code: j for j in review.judgements.all()}
        documents = selectors.documents_to_open(application, review.stage)
        opened = selectors.opened_keys(review.reviewer, application, [d.key for d in documents])
        return checks.review_unmet(review.stage, judged, documents, opened)

    check.__name__ = f"reviewed_{'_'.join(sorted(decisions))}"
    return check


def r9_no_failed_condition(application, name) -> list[str]:
    """R9: a positive decision stands on no 不符合 for a condition of the 工作指引."""
    from makerspace.reviews import checks

    review = decided_review(application)
    if review is None:
        return []
    failures = checks.blocking_failures(review.stage, {j.item_code: j for j in review.judgements.all()})
    if failures:
        return [f"审核要点 {'、'.join(failures)} 判断为“不符合”，不能作出通过或推荐的结论。"]
    return []


def regional_quota(application, name) -> list[str]:
    """The batch's regional quota caps how many applications one unit may recommend."""
    from makerspace.reviews.selectors import unit_quota

    quota = unit_quota(application.batch, application.recommending_unit)
    if quota is None:
        return []
    cap, used = quota
    if used >= cap:
        return [
            f"本批次地区推荐比例上限为{application.batch.regional_quota_percent}%，本单位最多推荐{cap}项，已推荐{used}项。"
        ]
    return []


def ranked_by_unit(application, name) -> list[str]:
    if application.recommender_rank is None:
        return [f"{application.number}尚未排序，请先为全部推荐的申报排序。"]
    return []


def r3_delivered_with_letter(application, name) -> list[str]:
    """R3: the full set, the 推荐函 included, travels in the unit's delivery that holds it."""
    from makerspace.reviews import checks
    from makerspace.reviews.selectors import delivery_of

    delivery = delivery_of(application)
    if delivery is None:
        return [f"{application.number}不在推荐单位正在报送的名单中。"]
    missing = checks.missing_materials(application, list(application.attachments.all()), delivery)
    return [f"{application.number}缺少：{checks.Material(m).label}" for m in missing]


def flagged_by_receipt(application, name) -> list[str]:
    latest = application.material_checks.order_by("-checked_at", "-id").first()
    if latest is None or latest.complete:
        return ["受理方未指出该申报的材料问题，不能撤回报送。"]
    return []


def r3_receivable(application, name) -> list[str]:
    from django.db.models import Sum

    from makerspace.reviews import checks
    from makerspace.reviews.selectors import delivery_of

    latest = application.material_checks.order_by("-checked_at", "-id").first()
    copies = application.paper_receipts.aggregate(total=Sum("copies"))["total"] or 0
    state = checks.receipt_state(
        application, list(application.attachments.all()), delivery_of(application), latest, copies
    )
    return state.blockers


def r10_ranked_within_quota(application, name) -> list[str]:
    """R10: the province recommends the best, ranked, within the batch's quota."""
    if application.province_rank is None:
        return [NO_PROVINCE_RANK]
    return r10_quota_of_batch(application.batch)


def r10_quota_of_batch(batch, kind=None, unit_id=None) -> list[str]:
    if batch.quota is None:
        return []
    return quota_used_up(batch.quota, _SELECTED.count(batch.pk))


def _selected_of(batch_id: int):
    from .models import Application
    from .workflow import State

    return Application.objects.filter(
        batch_id=batch_id, state__in=[State.RECOMMENDED_TO_MINISTRY, State.FILED, State.PUBLISHED]
    )


# The province's batch page shows R10 on every visit: counted in SQL compiled once.
_SELECTED = Prepared(_selected_of, int)


NO_PROVINCE_RANK = "择优推荐须先对形式审查通过的申报排序，请先填写省级排序。"


def quota_used_up(quota: int | None, selected: int) -> list[str]:
    """R10's quota, for the refusal and for the page that shows the disabled button's reason."""
    if quota is not None and selected >= quota:
        return [f"本批次推荐名额为{quota}个，已推荐{selected}个，不能再推荐。"]
    return []


def publicity_cleared(application, name) -> list[str]:
    from .workflow import kind_of

    return publicity_cleared_of_batch(application.batch, kind_of(application.state), application=application)


def publicity_cleared_of_batch(batch, kind, unit_id=None, application=None) -> list[str]:
    """The 公示 of the step, when it has one: held, ended, objections settled (of the application,
    or of the batch as a whole)."""
    from makerspace.publicity.rules import latest_notice, publicity_blockers

    step = batch.step(kind) if kind else None
    if step is None or not step.with_publicity:
        return []
    if latest_notice(batch) is None:
        return ["本批次的择优环节须先公示拟推荐名单（不少于5个工作日），公示期满、异议办结后才能报送科技部。"]
    return publicity_blockers(batch, application)


def reviewer_integrity(application, name, actor) -> list[str]:
    """The notice, 三.2: whoever decides an itemised review has signed the batch's reviewer pledge
    and declared no conflict of interest with the application. A return carries out such a decision
    only when the review of this version is decided; a quick return for completion (退回补正) at
    any step decides no review and needs no pledge, but a reviewer who declared a conflict with the
    application does not return it either: the declaration takes it out of every act on it."""
    from makerspace.reviews.checklists import STAGE_OF_STATE
    from makerspace.reviews.selectors import conflict_of, integrity_problem

    if application.state not in STAGE_OF_STATE:
        return []
    if name == "return_to_applicant" and decided_review(application) is None:
        if actor is not None and conflict_of(actor, application) is not None:
            return [CONFLICT_DECLARED]
        return []
    if actor is None:
        return [NO_REVIEWER]
    problem = integrity_problem(actor, application)
    return [problem] if problem else []


NO_REVIEWER = "审核结论须由签署审核诚信承诺的审核人员作出。"
CONFLICT_DECLARED = "您已声明与该申报存在利益冲突，须回避：请由本单位其他审核人员处理。"


def r7_fabrication_recorded(application, name) -> list[str]:
    from makerspace.credit.models import Disqualification

    if not Disqualification.objects.filter(application=application).exists():
        return ["取消资格须有弄虚作假的认定、证据材料和信用记录。"]
    return []


R5_SUBMISSION_OPEN = Rule("R5", r5_submission_open)
R5_STEP_OPEN = Rule("R5", r5_step_open, of_batch=_deadline_message)
R1_TO_R4_READY = Rule("R1–R4", r1_to_r4_ready)
FROZEN_VERSION = Rule("R4", frozen_version)
R8_NO_BAD_CREDIT = Rule("R8", r8_no_bad_credit)
R3_SUPERVISOR_COMMITMENT = Rule("R3", r3_supervisor_commitment)
R6_REVIEWED_RECOMMEND = Rule("R6", _reviewed({"recommend"}))
R6_REVIEWED_DECLINE = Rule("R6", _reviewed({"decline"}))
R6_REVIEWED_PASS = Rule("R6", _reviewed({"pass"}))
R6_REVIEWED_FAIL = Rule("R6", _reviewed({"fail"}))
R9_NO_FAILED_CONDITION = Rule("R9", r9_no_failed_condition)
REGIONAL_QUOTA = Rule("地区比例", regional_quota)
RANKED_BY_UNIT = Rule("排序", ranked_by_unit)
R3_DELIVERED_WITH_LETTER = Rule("R3", r3_delivered_with_letter)
FLAGGED_BY_RECEIPT = Rule("R3", flagged_by_receipt)
R3_RECEIVABLE = Rule("R3", r3_receivable)
R10_RANKED_WITHIN_QUOTA = Rule("R10", r10_ranked_within_quota, of_batch=r10_quota_of_batch)
PUBLICITY_CLEARED = Rule("公示", publicity_cleared, of_batch=publicity_cleared_of_batch)
R7_FABRICATION_RECORDED = Rule("R7", r7_fabrication_recorded)
REVIEWER_INTEGRITY = Rule("诚信承诺", reviewer_integrity, of_actor=True)
# 附件5's commitments, judged one by one by the supervising department before it signs (R6).
R6_ATTESTED = Rule("R6", _reviewed({"forward"}))
