"""The rules the review chain enforces, each in this one place:

- R3 the complete set of materials (附件2–5 and the 推荐函, plus the paper copies) before an
  application moves on from the supervisor, the unit and the acceptance unit;
- R6 a review is decided only after every checklist item is judged and every document opened;
- R10 the province recommends at most the batch's quota, and only ranked applications.

The screens show the same lists these functions return, so what blocks a button is what the
service refuses.
"""

from dataclasses import dataclass

from django.db import models

from makerspace.applications.models import Application, Attachment
from makerspace.core.errors import RuleViolation

from .checklists import Verdict, checklist

PAPER_COPIES_REQUIRED = 2


class Material(models.TextChoices):
    BASIC_INFO = "basic_info", "附件2 国家专业化众创空间基础信息表"
    REPORT = "report", "附件3 国家专业化众创空间备案申报书"
    APPLICANT_COMMITMENT = "applicant_commitment", "附件4 申报单位信用承诺书（签字盖章扫描件）"
    SUPERVISOR_COMMITMENT = "supervisor_commitment", "附件5 主管部门信用承诺书（盖章扫描件）"
    RECOMMENDATION_LETTER = "recommendation_letter", "推荐函（盖章扫描件）"


UP_TO_SUPERVISOR = (
    Material.BASIC_INFO,
    Material.REPORT,
    Material.APPLICANT_COMMITMENT,
    Material.SUPERVISOR_COMMITMENT,
)
FULL_SET = (*UP_TO_SUPERVISOR, Material.RECOMMENDATION_LETTER)


def current_supervisor_commitments(application: Application, attachments) -> list[Attachment]:
    """The 附件5 scans signed for the version now under review (uploaded after its submission)."""
    return [
        a
        for a in attachments
        if a.kind == Attachment.Kind.SUPERVISOR_COMMITMENT
        and a.retired_at is None
        and application.submitted_at is not None
        and a.uploaded_at >= application.submitted_at
    ]


def missing_materials(
    application: Application, attachments, submission=None, required=FULL_SET
) -> list[Material]:
    """R3: which items of the electronic set are missing. `attachments` are the application's
    current attachments (pass a prefetched list on list pages)."""
    kinds = {a.kind for a in attachments if a.retired_at is None}
    # A chain without the 主管部门 step asks for no 附件5; one without a unit step, no 推荐函.
    from makerspace.batches.models import Kind

    asked = {
        Material.SUPERVISOR_COMMITMENT: application.batch.step(Kind.ATTEST) is not None,
        Material.RECOMMENDATION_LETTER: application.batch.step(Kind.UNIT_REVIEW) is not None,
    }
    required = [item for item in required if asked.get(item, True)]
    present = {
        Material.BASIC_INFO: application.current_version > 0,
        Material.REPORT: application.current_version > 0,
        Material.APPLICANT_COMMITMENT: Attachment.Kind.APPLICANT_COMMITMENT in kinds,
        Material.SUPERVISOR_COMMITMENT: bool(current_supervisor_commitments(application, attachments)),
        Material.RECOMMENDATION_LETTER: submission is not None and submission.has_letter,
    }
    return [item for item in required if not present[item]]


def ensure_r3_materials(application: Application, attachments, submission=None, required=FULL_SET) -> None:
    missing = missing_materials(application, attachments, submission, required)
    if missing:
        names = "、".join(Material(m).label for m in missing)
        raise RuleViolation(
            "R3", f"{application.number}（{application.space.name}）材料不全，缺少：{names}。"
        )


@dataclass(frozen=True)
class ReceiptState:
    """What the acceptance unit still needs before `receive` (R3 and the notice's 纸质一式两份)."""

    missing: list[str]
    paper_copies: int
    confirmed: bool

    @property
    def blockers(self) -> list[str]:
        items = [f"缺少：{Material(m).label}" for m in self.missing]
        if not self.confirmed:
            items.append("受理单位尚未确认电子材料齐全")
        if self.paper_copies < PAPER_COPIES_REQUIRED:
            items.append(f"纸质材料应为一式{PAPER_COPIES_REQUIRED}份，已登记{self.paper_copies}份")
        return items

    @property
    def complete(self) -> bool:
        return not self.blockers


def receipt_state(application: Application, attachments, submission, latest_check, paper_copies: int):
    missing = [str(m) for m in missing_materials(application, attachments, submission)]
    if latest_check is not None:
        missing += [m for m in latest_check.missing if m not in missing]
    return ReceiptState(
        missing=missing,
        paper_copies=paper_copies,
        confirmed=latest_check is not None and latest_check.complete,
    )


def ensure_r3_receivable(state: ReceiptState) -> None:
    if not state.complete:
        raise RuleViolation("R3", "尚不能受理：" + "；".join(state.blockers) + "。")


# R6 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    url: str


def review_unmet(stage: str, judged: dict, documents: list[Document], opened_keys: set[str]) -> list[str]:
    """R6: what still stands between a review and its decision. `judged` maps item code to a
    judgement; `opened_keys` are the document keys this reviewer has opened."""
    unmet = []
    for item in checklist(stage):
        judgement = judged.get(item.code)
        if judgement is None or not judgement.comment.strip():
            unmet.append(f"审核要点 {item.code}（{item.group}）尚未作出判断并填写意见")
    for document in documents:
        if document.key not in opened_keys:
            unmet.append(f"尚未打开查阅：{document.title}")
    return unmet


def ensure_r6_reviewed(stage: str, judged: dict, documents: list[Document], opened_keys: set[str]) -> None:
    unmet = review_unmet(stage, judged, documents, opened_keys)
    if unmet:
        raise RuleViolation(
            "R6", f"严禁审核走过场：还有{len(unmet)}项未完成，全部完成后才能作出审核结论（{unmet[0]}）。"
        )


def blocking_failures(stage: str, judged: dict) -> list[str]:
    """Items judged 不符合 that are conditions (R9): a positive decision is refused while any stands."""
    return [
        item.code
        for item in checklist(stage)
        if item.blocking and item.code in judged and judged[item.code].verdict == Verdict.FAILS
    ]


# R10 -----------------------------------------------------------------------------------------


def ensure_r10_selectable(application: Application, quota: int | None, already_selected: int) -> None:
    """R10: the province recommends the best, ranked, within the batch's quota."""
    if application.province_rank is None:
        raise RuleViolation("R10", "择优推荐须先对形式审查通过的申报排序，请先填写省级排序。")
    if quota is not None and already_selected >= quota:
        raise RuleViolation("R10", f"本批次推荐名额为{quota}个，已推荐{already_selected}个，不能再推荐。")
