"""Writes of the credit register: one transaction and one audit row per event. Records are never
deleted; R7 (disqualification with a credit record) and the R8 refusals are decided here."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from makerspace.accounts.credit_code import normalise
from makerspace.audit.services import audit_record
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import file_stored, files_atomic
from makerspace.core.uploads import inspect_upload
from makerspace.permissions import require

from .models import CreditImport, CreditRecord, Disqualification
from .selectors import CreditCheck, check_r8_credit

# DESIGN §8: a fraud costs a two-year ban (later national practice).
DEFAULT_BAN_YEARS = 2


def ban_end(starts_on: date, years: int = DEFAULT_BAN_YEARS) -> date:
    """The last day of a ban of `years` starting on `starts_on` (29 Feb runs to 28 Feb)."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + years)
    except ValueError:
        anniversary = starts_on.replace(year=starts_on.year + years, day=28)
    return anniversary - timedelta(days=1)


def credit_record_add(
    *,
    user,
    credit_code: str,
    subject_name: str,
    kind: str,
    reason: str,
    source_document: str,
    starts_on: date,
    ends_on: date | None = None,
    origin: str = CreditRecord.Origin.MANUAL,
    application=None,
) -> CreditRecord:
    require(user, "credit.add_creditrecord", message="只有省科技厅和系统管理员可以登记信用记录。")
    record = CreditRecord(
        credit_code=normalise(credit_code),
        subject_name=subject_name.strip(),
        kind=kind,
        reason=reason.strip(),
        source_document=source_document.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=user,
        origin=origin,
        application=application,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(
            action="credit.record_add",
            actor=user,
            target=record,
            application=application,
            summary=f"登记信用记录：{record.subject_name}（{record.get_kind_display()}）",
            payload={
                "credit_code": record.credit_code,
                "source_document": record.source_document,
                "origin": record.origin,
            },
        )
    return record


def credit_record_end_early(*, user, record: CreditRecord, ends_on: date, reason: str) -> CreditRecord:
    """End a record before its end date (e.g. a revoked decision). The record stays; its first
    end date, who ended it, when and why are kept beside it."""
    require(user, "credit.end_creditrecord", record, "只有省科技厅和系统管理员可以终止信用记录。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写提前终止的理由。"})
    today = timezone.localdate()
    if ends_on < record.starts_on:
        raise ValidationError({"ends_on": f"终止日期不能早于起始日期（{record.starts_on:%Y-%m-%d}）。"})
    if ends_on > today:
        raise ValidationError({"ends_on": "提前终止的日期不能晚于今天；到期的记录会自动失效。"})
    with transaction.atomic():
        locked = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if locked.ends_on is not None and locked.ends_on < ends_on:
            raise ValidationError({"ends_on": f"该记录已于{locked.ends_on:%Y-%m-%d}到期，无需提前终止。"})
        if locked.ended_early:
            raise StateConflict("该记录已被提前终止。")
        locked.original_ends_on = locked.ends_on
        locked.ends_on = ends_on
        locked.ended_early_at = timezone.now()
        locked.ended_early_by = user
        locked.end_reason = reason.strip()
        locked.full_clean()
        locked.save()
        audit_record(
            action="credit.record_end",
            actor=user,
            target=locked,
            summary=f"提前终止信用记录：{locked.subject_name}（至{ends_on:%Y-%m-%d}）",
            payload={"reason": locked.end_reason, "original_ends_on": str(locked.original_ends_on or "")},
        )
    record.refresh_from_db()
    return record


# R8: the checks at registration, submission, 附件5 and the formal review ---------------------


def credit_check_enforce(*, user, organisation, checkpoint: str, application=None) -> None:
    """R8 enforced: the check on record (`credit_check_record`), refused with every record's kind,
    reason and dates while any is in force."""
    check = credit_check_record(
        user=user, organisation=organisation, checkpoint=checkpoint, application=application
    )
    if not check.clean:
        raise RuleViolation("R8", check.refusal(checkpoint))


def credit_check_record(*, user, organisation, checkpoint: str, application=None) -> CreditCheck:
    """Look the organisation up (`check_r8_credit`) and write the check to the audit chain."""
    check = check_r8_credit(organisation)
    audit_record(
        action="credit.check",
        actor=user,
        target=application or organisation,
        application=application,
        summary=check.summary(),
        payload={
            "credit_code": check.credit_code,
            "records": [r.pk for r in check.records],
            "checkpoint": checkpoint,
        },
    )
    return check


def registration_credit_warn(*, user, organisation) -> list[CreditRecord]:
    """At registration a record in force does not refuse the account, but the new user is told at
    once, in the inbox, which record stands and until when (R8 then refuses submission)."""
    from makerspace.notifications.models import Notification

    check = check_r8_credit(organisation)
    audit_record(
        action="credit.check",
        actor=user,
        target=organisation,
        summary=check.summary(),
        payload={"credit_code": check.credit_code, "records": [r.pk for r in check.records]},
    )
    if not check.clean:
        Notification.objects.create(
            recipient=user,
            kind="credit_warning",
            title=f"信用记录提示：{organisation.name}有{len(check.records)}条有效的不良信用记录",
            body=check.refusal("registration"),
        )
    return list(check.records)


# Import from the provincial credit platform -----------------------------------------------------


def credit_import_preview(*, user, upload: UploadedFile) -> CreditImport:
    """Step one: read the sheet and keep what it found. Nothing is written to the register."""
    import hashlib

    from .imports import parse_workbook

    require(user, "credit.import_creditrecords", message="只有省科技厅和系统管理员可以导入信用记录。")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    result = parse_workbook(upload)
    with transaction.atomic():
        pending = CreditImport.objects.create(
            uploaded_by=user,
            file_name=(upload.name or "")[-255:],
            file_sha256=digest.hexdigest(),
            rows=result.rows,
            errors=[e.as_dict() for e in result.errors],
            total_rows=result.total,
        )
        audit_record(
            action="credit.import_preview",
            actor=user,
            target=pending,
            summary=f"上传信用记录导入文件 {pending.file_name}：{len(result.rows)}行有效，"
            f"{pending.bad_rows}行有误",
            payload={"sha256": pending.file_sha256},
        )
    return pending


def credit_import_confirm(*, user, pending: CreditImport) -> int:
    """Step two: write the valid rows, all in one transaction; a row that became a duplicate since
    the preview is skipped."""
    from .imports import existing_keys

    require(user, "credit.import_creditrecords", message="只有省科技厅和系统管理员可以导入信用记录。")
    with transaction.atomic():
        locked = CreditImport.objects.select_for_update().get(pk=pending.pk)
        if locked.status != CreditImport.Status.PREVIEW or locked.uploaded_by_id != user.pk:
            raise StateConflict("该导入已确认过，不能重复导入。")
        seen = existing_keys({row["credit_code"] for row in locked.rows})
        created = 0
        for row in locked.rows:
            key = (row["credit_code"], row["kind"], row["starts_on"], row["source_document"])
            if key in seen:
                continue
            seen.add(key)
            credit_record_add(
                user=user,
                credit_code=row["credit_code"],
                subject_name=row["subject_name"],
                kind=row["kind"],
                reason=row["reason"],
                source_document=row["source_document"],
                starts_on=date.fromisoformat(row["starts_on"]),
                ends_on=date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
                origin=CreditRecord.Origin.IMPORT,
            )
            created += 1
        locked.status = CreditImport.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.created_count = created
        locked.save(update_fields=["status", "confirmed_at", "created_count"])
        audit_record(
            action="credit.import_confirm",
            actor=user,
            target=locked,
            summary=f"确认导入信用记录{created}条（{locked.file_name}）",
        )
    pending.refresh_from_db()
    return created


# R7: fabrication found ------------------------------------------------------------------------


def application_disqualify(
    *,
    user,
    application,
    reason: str,
    evidence: UploadedFile,
    source_document: str = "",
    ban_years: int = DEFAULT_BAN_YEARS,
):
    """R7: the province found fabricated materials. In one transaction: the evidence is kept, the
    application is cancelled at whatever level it stands (`disqualify`, through the one state
    machine, which tells the applicant and the recommending unit), its ranks are cleared so that
    it leaves every ranking, and the unit gets a 不良科技信用记录 (default two years)."""
    from makerspace.applications.services import application_transition

    require(user, "credit.add_creditrecord", message="只有省科技厅可以取消申报资格。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明弄虚作假的情况。"})
    if ban_years < 1 or ban_years > 10:
        raise ValidationError({"ban_years": "记录期限应为1至10年。"})
    content_type, sha256, size = inspect_upload(evidence)
    organisation = application.space.organisation
    starts_on = timezone.localdate()
    state_before = application.state
    with files_atomic():
        application.recommender_rank = None
        application.province_rank = None
        record = credit_record_add(
            user=user,
            credit_code=organisation.credit_code,
            subject_name=organisation.name,
            kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
            reason=f"{application.number}（{application.space.name}）申报材料弄虚作假：{reason.strip()}",
            source_document=source_document.strip() or f"省科技厅取消申报资格决定（{application.number}）",
            starts_on=starts_on,
            ends_on=ban_end(starts_on, ban_years),
            origin=CreditRecord.Origin.DISQUALIFICATION,
            application=application,
        )
        disqualification = Disqualification(
            application=application,
            state_before=state_before,
            reason=reason.strip(),
            record=record,
            evidence_original_name=(evidence.name or "")[-255:],
            evidence_content_type=content_type,
            evidence_size=size,
            evidence_sha256=sha256,
            decided_by=user,
        )
        disqualification.evidence.save("evidence", evidence, save=False)
        file_stored(disqualification.evidence)
        disqualification.save()
        # The finding, its evidence and the record come first: `disqualify` requires them (R7).
        event = application_transition(
            user=user, application=application, name="disqualify", comment=reason.strip()
        )
        audit_record(
            action="credit.disqualify",
            actor=user,
            target=disqualification,
            application=application,
            summary=f"{application.number}：发现弄虚作假，取消资格并记入不良科技信用记录",
            payload={"evidence_sha256": sha256, "record": record.pk, "event": event.pk},
        )
    return disqualification
