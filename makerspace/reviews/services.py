"""Every write of the review chain: one transaction each, one audit row per event, and every state
change through `applications.services.application_transition`."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from makerspace.accounts.models import RecommendingUnit
from makerspace.applications.models import Application, ApplicationEvent, Attachment
from makerspace.applications.services import application_transition, attachment_add
from makerspace.applications.workflow import REASON_REQUIRED, State
from makerspace.audit.services import audit_record
from makerspace.batches.deadlines import effective_deadline, ensure_open
from makerspace.batches.models import Batch, DeadlineExtension
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import file_stored, files_atomic
from makerspace.core.uploads import inspect_upload
from makerspace.credit.services import credit_check_enforce
from makerspace.documents.stamp import ensure_not_draft
from makerspace.permissions import require

from . import checks, selectors
from .checklists import STAGE_OF_STATE, Stage, Verdict, checklist
from .models import (
    DocumentOpen,
    Judgement,
    MaterialCheck,
    PaperReceipt,
    Publication,
    Review,
    ReviewerConflict,
    ReviewerPledge,
    UnitSubmission,
)

# 主管部门 -------------------------------------------------------------------------------------


def _ensure_r8_clean(user, application: Application, checkpoint: str = "supervisor") -> None:
    """R8: look the applicant up in the credit register; record what was found; refuse if any."""
    credit_check_enforce(
        user=user, organisation=application.space.organisation, checkpoint=checkpoint, application=application
    )


def supervisor_commitment_upload(
    *, user, application: Application, upload: UploadedFile, title: str = ""
) -> Attachment:
    """The supervising department signs 附件5 by uploading its sealed scan, after the R8 check."""
    require(user, "reviews.sign_supervisor_commitment", application, "当前状态下不能出具主管部门信用承诺书。")
    _ensure_r8_clean(user, application)
    with transaction.atomic():
        now = timezone.now()
        application.attachments.filter(
            kind=Attachment.Kind.SUPERVISOR_COMMITMENT, retired_at__isnull=True
        ).update(retired_at=now)
        attachment = attachment_add(
            user=user,
            application=application,
            kind=Attachment.Kind.SUPERVISOR_COMMITMENT,
            title=title or "主管部门信用承诺书（盖章）",
            upload=upload,
        )
    return attachment


def supervisor_forward(*, user, application: Application, comment: str = "") -> ApplicationEvent:
    """审核通过，报下一环节: the supervising department's itemised attestation of 附件5 decided as
    审核通过. The forward transition itself holds R3 (附件5 signed for this version), R5, R6 and R8."""
    _ensure_r8_clean(user, application)
    review = review_start(user=user, application=application)
    return review_decide(user=user, review=review, decision=Review.Decision.FORWARD, comment=comment)


def application_return(*, user, application: Application, comment: str) -> ApplicationEvent:
    """退回修改 (or 退回补正 for an obviously incomplete application) with the comments, by the
    party holding the application's step, without waiting for a full itemised review."""
    return _return(user=user, application=application, comment=comment)


def _return(*, user, application: Application, comment: str) -> ApplicationEvent:
    """Back to the applicant with the comments; ranks are cleared, because the resubmitted version
    climbs the chain again."""
    application.recommender_rank = None
    application.province_rank = None
    return application_transition(
        user=user, application=application, name="return_to_applicant", comment=comment
    )


# Documents (R6) -------------------------------------------------------------------------------


def document_open_record(*, user, application: Application | None, key: str, title: str) -> DocumentOpen:
    with transaction.atomic():
        opened = DocumentOpen.objects.create(
            reviewer=user, application=application, document_key=key, title=title[:200]
        )
        audit_record(
            action="review.document_open",
            actor=user,
            target=opened,
            application=application,
            summary=f"查阅 {title}",
            payload={"key": key},
        )
    return opened


# Itemised review (R6, R9) ---------------------------------------------------------------------


def stage_of(application: Application) -> str:
    stage = STAGE_OF_STATE.get(application.state)
    if stage is None:
        raise StateConflict(f"申报当前状态为“{application.get_state_display()}”，不在审核环节。")
    return stage


def review_start(*, user, application: Application) -> Review:
    """The reviewer's review of the version now under review: found, or begun (a write: POST only;
    pages read `selectors.review_of`)."""
    require(user, "reviews.review_application", application, "当前状态下您不能审核该申报。")
    stage = stage_of(application)
    review = selectors.review_of(user, application)
    if review is not None:
        return review
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=application,
                version_number=application.current_version,
                stage=stage,
                reviewer=user,
                organisation_name=user.organisation.name if user.organisation_id else "",
            )
            audit_record(
                action="review.start",
                actor=user,
                target=review,
                application=application,
                summary=f"开始{review.get_stage_display()}（第{review.version_number}版）",
            )
    except IntegrityError:
        review = selectors.review_of(user, application)
    return review


def _ensure_open_review(user, review: Review) -> None:
    if review.reviewer_id != user.pk:
        raise PermissionDenied("只能填写本人的审核意见。")
    if review.is_decided:
        raise StateConflict("该审核已作出结论，审核意见不能再修改。")


def judgements_save(*, user, review: Review, entries: dict[str, tuple[str, str]]) -> list[str]:
    """Save the judgements typed so far: {item code: (verdict, comment)}. An item is saved only with
    both a verdict and a comment; returns the codes saved."""
    _ensure_open_review(user, review)
    codes = {item.code for item in checklist(review.stage)}
    errors = {}
    clean: dict[str, tuple[str, str]] = {}
    for code, (verdict, comment) in entries.items():
        if code not in codes:
            raise ValidationError(f"没有审核要点 {code}。")
        verdict, comment = (verdict or "").strip(), (comment or "").strip()
        if not verdict and not comment:
            continue
        if verdict not in Verdict.values:
            errors[code] = "请选择符合、基本符合或不符合。"
        elif not comment:
            errors[code] = "请填写该项的审核意见。"
        else:
            clean[code] = (verdict, comment)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = {j.item_code: j for j in review.judgements.select_for_update()}
        changed = []
        for code, (verdict, comment) in clean.items():
            judgement = existing.get(code)
            if judgement is None:
                Judgement.objects.create(review=review, item_code=code, verdict=verdict, comment=comment)
            elif (judgement.verdict, judgement.comment) != (verdict, comment):
                judgement.verdict, judgement.comment = verdict, comment
                judgement.save(update_fields=["verdict", "comment", "judged_at"])
            else:
                continue
            changed.append(code)
        if changed:
            audit_record(
                action="review.judge",
                actor=user,
                target=review,
                application=review.application,
                summary=f"逐项审核：{'、'.join(changed)}",
                payload={code: list(clean[code]) for code in changed},
            )
    return changed


DECISIONS = {
    Stage.SUPERVISOR: {
        Review.Decision.FORWARD: "forward",
        Review.Decision.RETURN: "return_to_applicant",
    },
    Stage.RECOMMENDER: {
        Review.Decision.RECOMMEND: "recommend",
        Review.Decision.RETURN: "return_to_applicant",
        Review.Decision.DECLINE: "decline",
    },
    Stage.FORMAL: {
        Review.Decision.PASS: "pass_formal_review",
        Review.Decision.FAIL: "fail_formal_review",
        Review.Decision.RETURN: "return_to_applicant",
    },
}


def review_decide(*, user, review: Review, decision: str, comment: str = "") -> ApplicationEvent:
    """Decide a review and carry the decision out, all or nothing. The transition's conditions hold
    the rules (R6 every item judged and every document opened, R9 no 不符合 on a condition, R5, R8,
    the quota, the reviewer's integrity): the decision is recorded first, and a refusal rolls it
    back."""
    _ensure_open_review(user, review)
    application = review.application
    transition = DECISIONS[review.stage].get(decision)
    if transition is None:
        raise ValidationError({"decision": "请选择审核结论。"})
    if transition in REASON_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "退回修改、不予推荐和形式审查不通过须写明理由。"})
    if application.current_version != review.version_number:
        raise StateConflict("申报已重新提交为新版本，请按新版本重新审核。")
    try:
        with transaction.atomic():
            review.decision = decision
            review.decision_comment = comment.strip()
            review.decided_at = timezone.now()
            review.save(update_fields=["decision", "decision_comment", "decided_at"])
            audit_record(
                action="review.decide",
                actor=user,
                target=review,
                application=application,
                summary=f"{review.get_stage_display()}结论：{review.get_decision_display()}",
                payload={"decision": decision, "comment": review.decision_comment},
            )
            if decision == Review.Decision.RETURN:
                return _return(user=user, application=application, comment=comment)
            return application_transition(
                user=user, application=application, name=transition, comment=comment
            )
    except Exception:
        # Nothing half-written: the rows rolled back, and so does the instance in hand.
        review.decision, review.decision_comment, review.decided_at = "", "", None
        raise


# 推荐单位: the unit's batch -------------------------------------------------------------------


def unit_submission_open(*, batch: Batch, unit: RecommendingUnit) -> UnitSubmission:
    """The unit's delivery being prepared for a batch (a write: made on first use). After a delivery
    has gone, the next one is a supplementary delivery (补报)."""
    current = selectors.unit_submission_current(batch, unit)
    if current is not None and not current.is_submitted:
        return current
    sequence = current.sequence + 1 if current is not None else 1
    try:
        with transaction.atomic():
            return UnitSubmission.objects.create(batch=batch, recommending_unit=unit, sequence=sequence)
    except IntegrityError:
        return UnitSubmission.objects.get(batch=batch, recommending_unit=unit, sequence=sequence)


def _ensure_unit_batch_open(submission: UnitSubmission) -> None:
    """A delivery that went is locked; a new one (补报) may go until the unit's deadline (R5)."""
    if submission.is_submitted:
        local = timezone.localtime(submission.submitted_at).strftime("%Y年%m月%d日 %H:%M")
        raise RuleViolation("R5", f"本次报送已于{local}完成，推荐名单和排序已锁定；新推荐的申报请补报。")
    ensure_open(submission.batch, DeadlineLevel.UNIT_REVIEW, submission.recommending_unit_id)


def unit_letter_upload(*, user, submission: UnitSubmission, upload: UploadedFile) -> UnitSubmission:
    """The 推荐函: its sealed scan, checked by its bytes like every upload. A delivery that went may
    have its letter replaced while the receiving party's flag on it is unanswered."""
    require(user, "reviews.manage_unit_submission", submission)
    if not (submission.is_submitted and selectors.letter_flagged(submission)):
        _ensure_unit_batch_open(submission)
    ensure_not_draft(upload)  # a generated 草稿 is not the sealed original
    content_type, sha256, size = inspect_upload(upload)
    with files_atomic():
        submission.letter.save("letter", upload, save=False)
        file_stored(submission.letter)
        submission.letter_original_name = (upload.name or "")[-255:]
        submission.letter_content_type = content_type
        submission.letter_size = size
        submission.letter_sha256 = sha256
        submission.letter_uploaded_by = user
        submission.letter_uploaded_at = timezone.now()
        submission.save()
        audit_record(
            action="review.letter_upload",
            actor=user,
            target=submission,
            summary=f"上传推荐函（{submission.batch.title}{submission.sequence_label}）",
            payload={"sha256": sha256, "size": size},
        )
    return submission


def _check_ranks(ranks: dict[int, int | None], allowed: set[int]) -> dict[int, int | None]:
    unknown = set(ranks) - allowed
    if unknown:
        raise ValidationError("排序中含有不在名单中的申报。")
    given = [r for r in ranks.values() if r is not None]
    if any(r < 1 for r in given):
        raise ValidationError("排序须为从1开始的正整数。")
    if len(given) != len(set(given)):
        raise ValidationError("排序不能重复，请为每个申报填写不同的名次。")
    return ranks


def _check_no_rank_clash(ranks: dict[int, int | None], candidates: dict[int, Application], attr: str) -> None:
    """A ranking form covers one page of the candidates; ranks stay one sequence over all pages,
    so a page may not take a rank held by a candidate it does not cover."""
    given = {r for r in ranks.values() if r is not None}
    clash = sorted(
        (getattr(a, attr), a.number)
        for pk, a in candidates.items()
        if pk not in ranks and getattr(a, attr) in given
    )
    if clash:
        held = "、".join(f"{rank}（{number}）" for rank, number in clash)
        raise ValidationError(f"名次 {held}已用于其他页的申报，请先修改该申报的名次。")


def recommender_ranks_set(*, user, submission: UnitSubmission, ranks: dict[int, int | None]) -> None:
    """The unit ranks its recommended applications (1 = first)."""
    require(user, "reviews.manage_unit_submission", submission)
    _ensure_unit_batch_open(submission)
    with transaction.atomic():
        applications = {
            a.pk: a
            for a in selectors.unit_applications(submission)
            .filter(state=State.RECOMMENDED)
            .select_for_update(of=("self",))
        }
        _check_ranks(ranks, set(applications))
        _check_no_rank_clash(ranks, applications, "recommender_rank")
        for pk, rank in ranks.items():
            Application.objects.filter(pk=pk).update(recommender_rank=rank)
        audit_record(
            action="review.recommender_rank",
            actor=user,
            target=submission,
            summary=f"推荐排序（{submission.batch.title}）",
            payload={str(pk): rank for pk, rank in ranks.items()},
        )


def unit_submit(*, user, submission: UnitSubmission) -> list[ApplicationEvent]:
    """报送 (or 补报): the unit's recommended applications go on together in one transaction, with
    the delivery's 推荐函. Each `deliver` holds R3 (the full set, letter included), R5, R8 and the
    ranking."""
    require(user, "reviews.manage_unit_submission", submission)
    with transaction.atomic():
        locked = UnitSubmission.objects.select_for_update().select_related("batch").get(pk=submission.pk)
        _ensure_unit_batch_open(locked)
        # Applications still under review do not hold the others back: they follow in a
        # supplementary delivery (补报) once decided, before the unit's deadline.
        recommended = list(
            selectors.unit_applications(locked)
            .filter(state=State.RECOMMENDED)
            .select_related("space", "batch")
            .order_by("recommender_rank", "pk")
        )
        if not recommended:
            raise ValidationError("本批次没有已推荐、待报送的申报，无需报送。")
        unranked = [a.number for a in recommended if a.recommender_rank is None]
        if unranked:
            raise ValidationError(f"请先为全部推荐的申报排序（未排序：{'、'.join(unranked)}）。")
        locked.applications.add(*recommended)
        events = [
            application_transition(user=user, application=application, name="deliver")
            for application in recommended
        ]
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save(update_fields=["submitted_at", "submitted_by"])
        audit_record(
            action="review.unit_submit",
            actor=user,
            target=locked,
            summary=f"{locked.recommending_unit.name}报送{locked.batch.title}{locked.sequence_label}，共{len(events)}项",
            payload={"applications": [a.pk for a in recommended], "letter_sha256": locked.letter_sha256},
        )
    submission.refresh_from_db()
    return events


def flag_answer(*, user, check: MaterialCheck, answer: str) -> MaterialCheck:
    """The unit answers the receiving party's flag (after replacing the letter, or with why)."""
    application = check.application
    require(user, "applications.recall", application, "只有本申报的推荐单位可以答复。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    if check.answered_at is not None:
        raise StateConflict("该问题已答复。")
    with transaction.atomic():
        check.answer = answer.strip()
        check.answered_by = user
        check.answered_at = timezone.now()
        check.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            action="review.flag_answer",
            actor=user,
            target=check,
            application=application,
            summary=f"{application.number}：推荐单位答复材料问题",
            payload={"answer": check.answer},
        )
    return check


def delivery_recall(*, user, application: Application, reason: str) -> ApplicationEvent:
    """The unit takes a flagged application back from its delivery: it is recommended again and
    waits for a supplementary delivery (or the unit returns it to the applicant)."""
    with transaction.atomic():
        event = application_transition(user=user, application=application, name="recall", comment=reason)
        latest = application.material_checks.order_by("-checked_at", "-id").first()
        if latest is not None and latest.answered_at is None:
            flag_answer(user=user, check=latest, answer=f"已撤回报送：{reason.strip()}")
    return event


# 受理单位 -------------------------------------------------------------------------------------


def material_check_record(
    *, user, application: Application, missing: list[str], note: str = ""
) -> MaterialCheck:
    """The acceptance unit confirms the electronic set, or flags what is missing (seen by the unit)."""
    require(user, "reviews.check_materials", application, "当前状态下不能核对该申报的材料。")
    valid = set(checks.Material.values)
    if set(missing) - valid:
        raise ValidationError({"missing": "含有未知的材料项。"})
    if missing and not note.strip():
        raise ValidationError({"note": "标记缺少或不合格的材料时，请说明需要推荐单位补正的内容。"})
    with transaction.atomic():
        check = MaterialCheck.objects.create(
            application=application, missing=sorted(missing), note=note.strip(), checked_by=user
        )
        audit_record(
            action="review.material_check",
            actor=user,
            target=check,
            application=application,
            summary="电子材料齐全" if not missing else f"电子材料缺少{len(missing)}项",
            payload={"missing": check.missing, "note": check.note},
        )
    return check


def paper_receipt_register(
    *, user, application: Application, copies: int, received_on: date, receiver: str
) -> PaperReceipt:
    require(user, "reviews.check_materials", application, "当前状态下不能登记该申报的纸质材料。")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "收到日期不能晚于今天。"})
    receipt = PaperReceipt(
        application=application,
        copies=copies,
        received_on=received_on,
        receiver=receiver.strip(),
        registered_by=user,
    )
    receipt.full_clean()
    with transaction.atomic():
        receipt.save()
        audit_record(
            action="review.paper_receipt",
            actor=user,
            target=receipt,
            application=application,
            summary=f"登记纸质材料{copies}份（{receipt.receiver}，{received_on:%Y-%m-%d}）",
        )
    return receipt


def application_receive(*, user, application: Application) -> ApplicationEvent:
    """受理: the receive transition holds R3 (the set confirmed complete, two paper copies)."""
    return application_transition(user=user, application=application, name="receive")


# 省科技厅 -------------------------------------------------------------------------------------


def deadline_extend(
    *,
    user,
    batch: Batch,
    level: str,
    new_deadline: datetime,
    reason: str,
    recommending_unit: RecommendingUnit | None = None,
) -> DeadlineExtension:
    """R5: only the province moves a deadline, later and never earlier, with its reason kept."""
    require(user, "batches.extend_deadline", batch, "只有省科技厅可以延长截止时间。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    if level not in DeadlineLevel.values:
        raise ValidationError({"level": "请选择环节。"})
    current = effective_deadline(batch, level, recommending_unit.pk if recommending_unit else None)
    if new_deadline <= current:
        local = timezone.localtime(current).strftime("%Y年%m月%d日 %H:%M")
        raise ValidationError({"new_deadline": f"延期后的截止时间须晚于当前截止时间（{local}）。"})
    with transaction.atomic():
        extension = DeadlineExtension.objects.create(
            batch=batch,
            level=level,
            recommending_unit=recommending_unit,
            new_deadline=new_deadline,
            reason=reason.strip(),
            granted_by=user,
        )
        audit_record(
            action="batch.extend_deadline",
            actor=user,
            target=extension,
            summary=(
                f"{batch.title}：{DeadlineLevel(level).label}"
                f"{'（' + recommending_unit.name + '）' if recommending_unit else ''}延期至"
                f"{timezone.localtime(new_deadline):%Y-%m-%d %H:%M}"
            ),
            payload={"reason": extension.reason, "from": current.isoformat()},
        )
    batch._extension_cache = None
    return extension


def province_ranks_set(*, user, batch: Batch, ranks: dict[int, int | None]) -> None:
    """择优 (R10): the province ranks the applications that passed the formal review."""
    require(user, "reviews.view_province_queue")
    ensure_open(batch, DeadlineLevel.SELECTION)
    with transaction.atomic():
        candidates = {
            a.pk: a
            for a in Application.objects.filter(batch=batch, state=State.FORMAL_PASSED).select_for_update()
        }
        _check_ranks(ranks, set(candidates))
        _check_no_rank_clash(ranks, candidates, "province_rank")
        taken = set(
            Application.objects.filter(batch=batch, state=State.RECOMMENDED_TO_MINISTRY).values_list(
                "province_rank", flat=True
            )
        )
        clash = sorted(taken & {r for r in ranks.values() if r is not None})
        if clash:
            raise ValidationError(f"名次 {'、'.join(map(str, clash))} 已用于已推荐至科技部的申报。")
        for pk, rank in ranks.items():
            Application.objects.filter(pk=pk).update(province_rank=rank)
        audit_record(
            action="review.province_rank",
            actor=user,
            target=batch,
            summary=f"省级择优排序（{batch.title}）",
            payload={str(pk): rank for pk, rank in ranks.items()},
        )


def province_select(*, user, application: Application, comment: str = "") -> ApplicationEvent:
    """择优推荐至科技部: the select transition holds R10 (ranked, within the quota), the 公示, R5 and
    R8. The batch row is locked so that two selections at once cannot both take the last place."""
    with transaction.atomic():
        Batch.objects.select_for_update().get(pk=application.batch_id)
        application.refresh_from_db(fields=["province_rank"])
        return application_transition(user=user, application=application, name="select", comment=comment)


def province_not_select(*, user, application: Application, comment: str = "") -> ApplicationEvent:
    return application_transition(user=user, application=application, name="not_select", comment=comment)


# 科技部 ---------------------------------------------------------------------------------------


def ministry_file(*, user, application: Application, comment: str = "") -> ApplicationEvent:
    return application_transition(user=user, application=application, name="file", comment=comment)


def ministry_not_file(*, user, application: Application, comment: str) -> ApplicationEvent:
    return application_transition(user=user, application=application, name="not_file", comment=comment)


def list_publish(*, user, batch: Batch, title: str, document_number: str = "") -> Publication:
    """公布备案名单: every filed space of the batch goes public together (R10)."""
    require(user, "reviews.publish_list", batch, "只有科技部可以公布备案名单。")
    if not title.strip():
        raise ValidationError({"title": "请填写名单标题。"})
    with transaction.atomic():
        filed = list(
            Application.objects.filter(batch=batch, state=State.FILED).order_by("province_rank", "pk")
        )
        if not filed:
            raise ValidationError("本批次没有已备案、待公布的众创空间。")
        for application in filed:
            application_transition(user=user, application=application, name="publish")
        publication = Publication.objects.create(
            batch=batch, title=title.strip(), document_number=document_number.strip(), published_by=user
        )
        publication.applications.set(filed)
        audit_record(
            action="review.publish",
            actor=user,
            target=publication,
            summary=f"公布{publication.title}，共{len(filed)}家",
            payload={"applications": [a.pk for a in filed]},
        )
    return publication


def application_revoke(*, user, application: Application, reason: str) -> ApplicationEvent:
    """撤销备案: a published space is taken off the list with the reason; the public list keeps it,
    marked as revoked."""
    return application_transition(user=user, application=application, name="revoke", comment=reason)


# The reviewers' own integrity (the notice, 三.2) ---------------------------------------------


def reviewer_pledge_sign(*, user, batch: Batch) -> ReviewerPledge:
    """The reviewer signs the batch's integrity pledge, once, before its first decision in it."""
    require(user, "reviews.sign_reviewer_pledge", batch, "只有各级审核人员签署审核诚信承诺。")
    with transaction.atomic():
        pledge, created = ReviewerPledge.objects.get_or_create(
            batch=batch,
            reviewer=user,
            defaults={
                "text": batch.reviewer_pledge,
                "organisation_name": user.organisation.name if user.organisation_id else "",
            },
        )
        if created:
            audit_record(
                action="review.pledge_sign",
                actor=user,
                target=pledge,
                summary=f"签署“{batch.title}”审核诚信承诺",
            )
    return pledge


def reviewer_conflict_declare(*, user, application: Application, kind: str, detail: str) -> ReviewerConflict:
    """The reviewer declares a conflict of interest with an application: it may not decide it."""
    require(user, "reviews.declare_reviewer_conflict", application, "只能对本环节待审核的申报声明利益冲突。")
    if kind not in ReviewerConflict.Kind.values:
        raise ValidationError({"kind": "请选择利益冲突类型。"})
    if not detail.strip():
        raise ValidationError({"detail": "请说明利益冲突的具体情况。"})
    with transaction.atomic():
        conflict, created = ReviewerConflict.objects.get_or_create(
            application=application, reviewer=user, defaults={"kind": kind, "detail": detail.strip()}
        )
        if not created:
            raise StateConflict("您已就该申报声明过利益冲突。")
        audit_record(
            action="review.conflict_declare",
            actor=user,
            target=conflict,
            application=application,
            summary=f"声明利益冲突（{conflict.get_kind_display()}），回避审核",
            payload={"kind": kind, "detail": conflict.detail},
        )
    return conflict
