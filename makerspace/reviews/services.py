"""Every write of the review chain: one transaction each, one audit row per event, and every state
change through `applications.services.application_transition`."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
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
from makerspace.core.uploads import inspect_upload
from makerspace.credit.services import credit_check_enforce
from makerspace.documents.stamp import ensure_not_draft
from makerspace.permissions import require
from makerspace.publicity.rules import ensure_publicity_cleared

from . import checks, selectors
from .checklists import Stage, Verdict, checklist
from .models import (
    DocumentOpen,
    Judgement,
    MaterialCheck,
    PaperReceipt,
    Publication,
    Review,
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
    """审核通过，报推荐单位: within the supervisor deadline (R5), credit clean (R8), 附件5 in (R3)."""
    ensure_open(application.batch, DeadlineLevel.SUPERVISOR, application.recommending_unit_id)
    _ensure_r8_clean(user, application)
    with transaction.atomic():
        checks.ensure_r3_materials(
            application, list(application.attachments.all()), required=checks.UP_TO_SUPERVISOR
        )
        return application_transition(user=user, application=application, name="forward", comment=comment)


def application_return(*, user, application: Application, comment: str) -> ApplicationEvent:
    """退回修改 outside an itemised review: by the supervising department, or by the unit taking
    back a recommendation before its batch is delivered. Where an itemised review decides (at the
    unit, at the formal review), a return is one of its decisions and waits for R6."""
    if application.state in (State.AT_RECOMMENDER, State.RECEIVED):
        raise RuleViolation("R6", "请在逐项审核页面完成审核后，以“退回修改”作为审核结论。")
    return _return(user=user, application=application, comment=comment)


def _return(*, user, application: Application, comment: str) -> ApplicationEvent:
    """Back to the applicant's draft with the comments; ranks are cleared, because the
    resubmitted version climbs the chain again."""
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
    if application.state == State.AT_RECOMMENDER:
        return Stage.RECOMMENDER
    if application.state == State.RECEIVED:
        return Stage.FORMAL
    raise StateConflict(f"申报当前状态为“{application.get_state_display()}”，不在审核环节。")


def review_start(*, user, application: Application) -> Review:
    """The reviewer's review of the version now under review: found, or begun."""
    require(user, "reviews.review_application", application, "当前状态下您不能审核该申报。")
    stage = stage_of(application)
    review = Review.objects.filter(
        application=application, version_number=application.current_version, stage=stage, reviewer=user
    ).first()
    if review is not None:
        review.application = application
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
        review = Review.objects.get(
            application=application, version_number=application.current_version, stage=stage, reviewer=user
        )
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
POSITIVE = {Review.Decision.RECOMMEND, Review.Decision.PASS}


def review_decide(*, user, review: Review, decision: str, comment: str = "") -> ApplicationEvent:
    """Decide a review: R6 (every item judged, every document opened), R9 (no 不符合 on a condition
    for a positive decision), R5 for a recommendation, then the transition, all or nothing."""
    _ensure_open_review(user, review)
    application = review.application
    transition = DECISIONS[review.stage].get(decision)
    if transition is None:
        raise ValidationError({"decision": "请选择审核结论。"})
    if transition in REASON_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "退回修改、不予推荐和形式审查不通过须写明理由。"})
    if application.current_version != review.version_number:
        raise StateConflict("申报已重新提交为新版本，请按新版本重新审核。")
    judged = {j.item_code: j for j in review.judgements.all()}
    documents = selectors.documents_to_open(application, review.stage)
    opened = selectors.opened_keys(user, application, [d.key for d in documents])
    checks.ensure_r6_reviewed(review.stage, judged, documents, opened)
    if decision in POSITIVE:
        failures = checks.blocking_failures(review.stage, judged)
        if failures:
            raise RuleViolation(
                "R9", f"审核要点 {'、'.join(failures)} 判断为“不符合”，不能作出通过或推荐的结论。"
            )
    if decision == Review.Decision.RECOMMEND:
        submission = unit_submission_get(batch=application.batch, unit=application.recommending_unit)
        _ensure_unit_batch_open(submission)
    if decision == Review.Decision.PASS:
        _ensure_r8_clean(user, application, checkpoint="formal_review")
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


def unit_submission_get(*, batch: Batch, unit: RecommendingUnit) -> UnitSubmission:
    """The unit's submission record for a batch, made on first use."""
    submission, _ = UnitSubmission.objects.get_or_create(batch=batch, recommending_unit=unit)
    return submission


def _ensure_unit_batch_open(submission: UnitSubmission) -> None:
    """After the deadline (R5) or once delivered, the unit's batch is locked."""
    if submission.is_submitted:
        local = timezone.localtime(submission.submitted_at).strftime("%Y年%m月%d日 %H:%M")
        raise RuleViolation("R5", f"本单位已于{local}报送该批次，推荐名单和排序已锁定。")
    ensure_open(submission.batch, DeadlineLevel.RECOMMENDER, submission.recommending_unit_id)


def unit_letter_upload(*, user, submission: UnitSubmission, upload: UploadedFile) -> UnitSubmission:
    """The 推荐函: its sealed scan, checked by its bytes like every upload."""
    require(user, "reviews.manage_unit_submission", submission)
    _ensure_unit_batch_open(submission)
    ensure_not_draft(upload)  # a generated 草稿 is not the sealed original
    content_type, sha256, size = inspect_upload(upload)
    with transaction.atomic():
        submission.letter.save("letter", upload, save=False)
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
            summary=f"上传推荐函（{submission.batch.title}）",
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
    """报送: the unit's whole batch goes to the acceptance unit in one transaction, before the
    deadline (R5), with its 推荐函 and the full set of every application (R3)."""
    require(user, "reviews.manage_unit_submission", submission)
    with transaction.atomic():
        locked = UnitSubmission.objects.select_for_update().select_related("batch").get(pk=submission.pk)
        _ensure_unit_batch_open(locked)
        pending = selectors.unit_applications(locked).filter(state=State.AT_RECOMMENDER).count()
        if pending:
            raise RuleViolation("R6", f"尚有{pending}项申报未作出审核结论，请审核完毕后再报送。")
        recommended = list(
            selectors.unit_applications(locked)
            .filter(state=State.RECOMMENDED)
            .select_related("space")
            .prefetch_related("attachments")
            .order_by("recommender_rank", "pk")
        )
        if not recommended:
            raise ValidationError("本批次没有已推荐的申报，无需报送。")
        unranked = [a.number for a in recommended if a.recommender_rank is None]
        if unranked:
            raise ValidationError(f"请先为全部推荐的申报排序（未排序：{'、'.join(unranked)}）。")
        for application in recommended:
            checks.ensure_r3_materials(application, list(application.attachments.all()), locked)
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
            summary=f"{locked.recommending_unit.name}报送{locked.batch.title}，共{len(events)}项",
            payload={"applications": [a.pk for a in recommended], "letter_sha256": locked.letter_sha256},
        )
    submission.refresh_from_db()
    return events


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
    """受理: only with the complete electronic set confirmed and two paper copies registered (R3)."""
    with transaction.atomic():
        submission = UnitSubmission.objects.filter(
            batch_id=application.batch_id, recommending_unit_id=application.recommending_unit_id
        ).first()
        latest = application.material_checks.order_by("-checked_at", "-id").first()
        copies = application.paper_receipts.aggregate(total=Sum("copies"))["total"] or 0
        state = checks.receipt_state(
            application, list(application.attachments.all()), submission, latest, copies
        )
        checks.ensure_r3_receivable(state)
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
    ensure_open(batch, DeadlineLevel.PROVINCE)
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
    """择优推荐至科技部 within the quota (R10). The batch row is locked so that two selections at
    once cannot both take the last place."""
    ensure_open(application.batch, DeadlineLevel.PROVINCE)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=application.batch_id)
        application.refresh_from_db(fields=["province_rank"])
        selected = Application.objects.filter(batch=batch, state=State.RECOMMENDED_TO_MINISTRY).count()
        checks.ensure_r10_selectable(application, batch.quota, selected)
        ensure_publicity_cleared(application)
        return application_transition(user=user, application=application, name="select", comment=comment)


def province_not_select(*, user, application: Application, comment: str = "") -> ApplicationEvent:
    ensure_open(application.batch, DeadlineLevel.PROVINCE)
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
