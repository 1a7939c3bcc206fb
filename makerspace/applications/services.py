"""Every write to an application goes through here: one transaction, one audit row each."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.forms import ModelForm
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from makerspace.accounts.models import Organisation, RecommendingUnit, Role
from makerspace.audit.services import audit_record, audit_together
from makerspace.batches.deadlines import ensure_open
from makerspace.batches.models import Batch, Kind
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import file_stored, files_atomic
from makerspace.core.i18n import in_chinese
from makerspace.core.prepared import Prepared, keep_prefetched
from makerspace.core.uploads import inspect_upload
from makerspace.credit.selectors import register_read_once
from makerspace.credit.services import credit_check_enforce, credit_check_record
from makerspace.notifications.services import notify_transition

from . import selectors, workflow
from .conditions import ChainEnd, Unmet
from .forms import content_changes
from .models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BasicInfo,
    MakerSpace,
    Report,
    SectionDraft,
    SuccessCase,
)
from .workflow import EDITABLE, REASON_REQUIRED

# Transitions that create or end a filed space (makerspace.filed).
AFTER_FILING = {"file", "revoke", "disqualify"}


def space_create(*, user, name: str) -> MakerSpace:
    space = MakerSpace(organisation=user.organisation, name=name.strip())
    space.full_clean()
    with transaction.atomic():
        space.save()
        audit_record(action="space.create", actor=user, target=space, summary=f"创建众创空间 {space.name}")
    return space


SPACE_NAME_FROZEN = "众创空间名称已随申报提交冻结，不能再修改；备案后如需更名，请提交变更申请。"


def space_rename(*, user, space: MakerSpace, name: str) -> MakerSpace:
    """Rename a space that was never submitted. The old name is read from the database under a
    row lock: a bound ModelForm has already written the new name into `space`."""
    with transaction.atomic():
        stored = MakerSpace.objects.select_for_update().get(pk=space.pk)
        if not user.has_perm("applications.rename_makerspace", stored):
            raise ValidationError({"name": SPACE_NAME_FROZEN})
        old = stored.name
        space.name = name.strip()
        space.full_clean()
        space.save(update_fields=["name"])
        audit_record(
            action="space.rename",
            actor=user,
            target=space,
            summary=f"众创空间更名：{old} → {space.name}",
            payload={"old": old, "new": space.name},
        )
    return space


def application_create(
    *,
    user,
    space: MakerSpace,
    batch: Batch,
    recommending_unit: RecommendingUnit,
    supervisor: Organisation | None,
    supervisor_name: str = "",
    supervisor_contact: str = "",
) -> Application:
    """Start an application. A 主管部门 missing from the list is named (`supervisor_name`) and
    its recommending unit asked to add it; the application may be filled meanwhile, and the
    submission waits for it (conditions.SUPERVISOR_NAMED)."""
    if space.organisation_id != user.organisation_id:
        raise PermissionDenied("只能为本单位的众创空间申报。")
    if supervisor is not None and supervisor.kind != Role.SUPERVISOR:
        raise ValidationError({"supervisor": "请选择主管部门。"})
    if supervisor is None and not supervisor_name.strip() and batch.step(Kind.ATTEST) is not None:
        raise ValidationError({"supervisor": "请选择主管部门；列表中没有时，请填写其名称。"})
    ensure_open(batch, DeadlineLevel.APPLICANT, recommending_unit.pk)
    organisation = user.organisation
    with transaction.atomic():
        application = Application(
            space=space,
            batch=batch,
            recommending_unit=recommending_unit,
            unit_sort_order=recommending_unit.sort_order,
            supervisor=supervisor,
            created_by=user,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise ValidationError("该众创空间在本批次已有申报，请在“我的申报”中继续填写。") from None
        application.number = Application.make_number(batch.year, application.pk)
        application.save(update_fields=["number"])
        BasicInfo.objects.create(
            application=application,
            operator_name=organisation.name,
            operator_nature=organisation.nature,
            legal_representative=organisation.legal_representative,
            legal_phone=organisation.phone,
            address=organisation.address,
            email=organisation.email,
        )
        Report.objects.create(application=application)
        audit_record(
            action="application.create",
            actor=user,
            target=application,
            application=application,
            summary=f"创建申报 {application.number}（{space.name}，{batch.title}）",
        )
        if supervisor is None and supervisor_name.strip():
            from makerspace.accounts.services import supervisor_request_create

            supervisor_request_create(
                user=user, application=application, name=supervisor_name, contact_email=supervisor_contact
            )
    return application


def _ensure_editable(application: Application) -> None:
    if not application.is_editable:
        raise StateConflict(f"申报当前状态为“{application.get_state_display()}”，不能修改。")


# What `_touch` writes, read back when it cannot know the values.
TOUCHED = [
    "row_version",
    "updated_at",
    "commitment_signed_at",
    "commitment_signed_by_id",
    "commitment_signatory",
]


def _touched_row(application_id: int) -> QuerySet:
    return Application.objects.filter(pk=application_id).values(*TOUCHED)


def _row_version_for_update(application_id: int) -> QuerySet:
    return (
        Application.objects.select_for_update(no_key=True)
        .filter(pk=application_id)
        .values_list("row_version", flat=True)
    )


# Every save, upload and signature reads these by the application's id alone: compiled once
# (makerspace.core.prepared).
_TOUCHED_ROW = Prepared(_touched_row, int)
_ROW_VERSION_FOR_UPDATE = Prepared(_row_version_for_update, int)


def _one(read: Prepared, application: Application):
    """The application's row of a read by its id (`get`'s DoesNotExist when it is gone)."""
    row = read.first(application.pk)
    if row is None:
        raise Application.DoesNotExist("申报不存在。")
    return row


def _locked_row_version(application: Application) -> int:
    """The application's row version, read under its row lock (the caller's transaction holds it)."""
    return _one(_ROW_VERSION_FOR_UPDATE, application)


def _touch(application: Application, *, unsign: bool = True, locked: bool = False) -> None:
    """Every change of content bumps the row version and voids an earlier 附件4 signature (R4).

    Written to the row as the database holds it, not as this instance was loaded: a signature
    committed while this change was in flight (an upload still being checked) is voided too.
    `locked`: this transaction holds the row lock and read its version (`_ensure_current`), so
    what was written is known without reading it back."""
    now = timezone.now()
    changes = {"row_version": F("row_version") + 1, "updated_at": now}
    if unsign:
        changes |= {"commitment_signed_at": None, "commitment_signed_by": None, "commitment_signatory": ""}
    Application.objects.filter(pk=application.pk).update(**changes)
    if locked and unsign:
        application.row_version += 1
        application.updated_at = now
        application.commitment_signed_at = None
        application.commitment_signed_by = None
        application.commitment_signatory = ""
        return
    # One plain read: refresh_from_db would build a partial instance whose state machine reads
    # its deferred state with one more query.
    for name, value in _one(_TOUCHED_ROW, application).items():
        setattr(application, name, value)


def _ensure_current(application: Application, expected_row_version: int | None, *, lock: bool = True) -> bool:
    """Optimistic locking: refuse a save made on a version of the application someone has since
    changed, naming who changed it and when (its latest audit row). None means not checked.

    With `lock` the row's version is read under a row lock, and True says this transaction now
    holds it; a save that writes nothing compares the version this request loaded."""
    if expected_row_version is None:
        return False
    current = _locked_row_version(application) if lock else application.row_version
    if current == expected_row_version:
        application.row_version = current
        return lock
    from makerspace.audit.models import AuditEvent

    latest = AuditEvent.objects.filter(application=application).order_by("-sequence").first()
    if latest is None:
        raise StateConflict("本申报已被他人修改，您看到的是旧内容。请核对后再保存。")
    at = timezone.localtime(latest.at).strftime("%Y-%m-%d %H:%M:%S")
    raise StateConflict(
        f"本申报已于{at}被{latest.actor_label}修改（{latest.summary}），您看到的是修改前的内容。"
        "请核对后再保存；再次保存将以您填写的内容为准。"
    )


def section_save(
    *, user, application: Application, section: str, form: ModelForm, expected_row_version: int | None = None
) -> None:
    """Save a validated section form of 附件2 / 附件3 / the application's settings.

    A form posted back unchanged (an autosave while nobody types) writes nothing: no transaction,
    no lock, no audit row, and the signature stands; only the section's kept draft is cleared."""
    _ensure_editable(application)
    fields = content_changes(form)
    if not fields:
        _ensure_current(application, expected_row_version, lock=False)
        # Mostly there is none: one read, rather than a deletion's own transaction (BEGIN, DELETE,
        # COMMIT on PostgreSQL).
        draft_id = selectors.section_draft_id(application, section)
        if draft_id is not None:
            SectionDraft.objects.filter(pk=draft_id).delete()
        return
    with transaction.atomic():
        locked = _ensure_current(application, expected_row_version)
        if "recommending_unit" in fields and isinstance(form.instance, Application):
            form.instance.unit_sort_order = form.instance.recommending_unit.sort_order
        form.save()
        SectionDraft.objects.filter(application=application, section=section).delete()
        _touch(application, locked=locked)
        audit_record(
            action="application.section_save",
            actor=user,
            target=application,
            application=application,
            summary=f"保存 {section}",
            payload={"section": section, "fields": fields},
        )


def section_draft_keep(*, application: Application, section: str, data: dict) -> None:
    """Keep what was typed in a section that does not validate yet (autosave of a draft)."""
    _ensure_editable(application)
    SectionDraft.objects.update_or_create(application=application, section=section, defaults={"data": data})


def case_save(
    *, user, application: Application, form: ModelForm, expected_row_version: int | None = None
) -> SuccessCase:
    _ensure_editable(application)
    with transaction.atomic():
        locked = _ensure_current(application, expected_row_version)
        case = form.save(commit=False)
        case.application = application
        if case.pk is None:
            case.position = application.success_cases.count() + 1
        case.full_clean()
        case.save()
        _touch(application, locked=locked)
        audit_record(
            action="application.case_save",
            actor=user,
            target=case,
            application=application,
            summary=case.title,
        )
    return case


def case_delete(*, user, application: Application, case: SuccessCase) -> None:
    _ensure_editable(application)
    with transaction.atomic():
        title = case.title
        case.delete()
        for position, remaining in enumerate(application.success_cases.order_by("position", "id"), start=1):
            if remaining.position != position:
                remaining.position = position
                remaining.save(update_fields=["position"])
        _touch(application)
        audit_record(
            action="application.case_delete",
            actor=user,
            target=application,
            application=application,
            summary=title,
        )


@in_chinese  # the default title (a kind label) and the audit row are stored in Chinese
def attachment_add(
    *, user, application: Application, kind: str, title: str, upload: UploadedFile
) -> Attachment:
    """Store an uploaded file after checking its bytes; its SHA-256 goes into every later version."""
    content_type, sha256, size = inspect_upload(upload)
    # Its callers do not catch its failure: no savepoint of its own inside theirs.
    with files_atomic(savepoint=False):
        attachment = Attachment(
            application=application,
            kind=kind,
            title=title.strip() or Attachment.Kind(kind).label,
            original_name=(upload.name or "")[-255:],
            content_type=content_type,
            size=size,
            sha256=sha256,
            uploaded_by=user,
        )
        attachment.file.save("upload", upload, save=False)
        file_stored(attachment.file)
        attachment.save()
        audit_record(
            action="attachment.upload",
            actor=user,
            target=attachment,
            application=application,
            summary=f"上传 {attachment.title}",
            payload={"sha256": sha256, "size": size, "kind": kind},
        )
    return attachment


def attachment_add_by_applicant(
    *, user, application: Application, kind: str, title: str, upload: UploadedFile
) -> Attachment:
    _ensure_editable(application)
    if kind not in Attachment.APPLICANT_KINDS:
        raise PermissionDenied("申报单位不能上传该类材料。")
    with files_atomic():
        if kind == Attachment.Kind.APPLICANT_COMMITMENT:
            _retire(application.attachments.filter(kind=kind, retired_at__isnull=True))
        attachment = attachment_add(user=user, application=application, kind=kind, title=title, upload=upload)
        # The sealed scan of 附件4 is the paper twin of the signature, not data it attests.
        _touch(application, unsign=kind != Attachment.Kind.APPLICANT_COMMITMENT)
    return attachment


def _retire(attachments) -> None:
    now = timezone.now()
    for attachment in attachments:
        attachment.retired_at = now
        attachment.save(update_fields=["retired_at"])


def attachment_remove(*, user, application: Application, attachment: Attachment) -> None:
    _ensure_editable(application)
    with transaction.atomic():
        _retire([attachment])
        _touch(application, unsign=attachment.kind != Attachment.Kind.APPLICANT_COMMITMENT)
        audit_record(
            action="attachment.remove",
            actor=user,
            target=attachment,
            application=application,
            summary=f"移除 {attachment.title}",
        )


def commitment_sign(*, user, application: Application, signatory: str) -> None:
    """R4: the applicant signs 附件4, attesting the data as it now stands."""
    _ensure_editable(application)
    if not signatory.strip():
        raise ValidationError({"signatory": "请填写运营主体法人姓名。"})
    with transaction.atomic():
        # The row lock orders the signature after any change still being written: its time is
        # taken once that change has committed, so it is never older than what it attests.
        application.row_version = _locked_row_version(application)
        application.commitment_signed_at = timezone.now()
        application.commitment_signed_by = user
        application.commitment_signatory = signatory.strip()
        application.row_version += 1
        application.save(
            update_fields=[
                "commitment_signed_at",
                "commitment_signed_by",
                "commitment_signatory",
                "row_version",
            ]
        )
        audit_record(
            action="application.sign_commitment",
            actor=user,
            target=application,
            application=application,
            summary=f"签署申报单位信用承诺书（{application.commitment_signatory}）",
        )


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields_of(instance, exclude: set[str]) -> dict:
    return {
        f.name: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in exclude
    }


def application_snapshot(application: Application) -> dict:
    """Everything a reviewer sees of one submission, as plain JSON. The cases and files are
    ordered here (by position, and by kind, whose values sort alike in every collation): the
    submission's prefetch of them also serves its readiness check."""
    organisation = application.space.organisation
    return {
        "number": application.number,
        "space": application.space.name,
        "organisation": {"name": organisation.name, "credit_code": organisation.credit_code},
        "batch": {"id": application.batch_id, "title": application.batch.title},
        "recommending_unit": application.recommending_unit.name,
        "supervisor": application.supervisor.name if application.supervisor else "",
        "provincial_filing": application.provincial_filing,
        "basic_info": _fields_of(application.basic_info, {"id", "application", "updated_at"}),
        "report": _fields_of(application.report, {"id", "application", "updated_at"}),
        "success_cases": [
            _fields_of(case, {"id", "application"})
            for case in sorted(application.success_cases.all(), key=lambda case: (case.position, case.pk))
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "title": a.title,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in sorted(application.attachments.all(), key=lambda a: (a.kind, a.pk))
            if a.retired_at is None
        ],
        "commitment": {
            "signatory": application.commitment_signatory,
            "signed_at": _plain(application.commitment_signed_at),
        },
    }


def snapshot_digest(data: dict) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@in_chinese  # the audit row names the states in Chinese whatever the user reads
def application_transition(
    *,
    user,
    application: Application,
    name: str,
    comment: str = "",
    version_number: int | None = None,
    also_saves: tuple[str, ...] | None = None,
) -> ApplicationEvent:
    """Fire one transition of the state machine with its event and audit row, atomically.

    The row is saved whole, unless the caller names the fields it changed itself (`also_saves`):
    then only those and what a transition changes (state, level, row version) are written.

    The transition's own conditions (the rules of `workflow.GUARDS`) decide whether it may go; a
    refusal names the first unmet rule. Of two people deciding the same application at once, the
    second gets StateConflict: the save is conditional on the state the instance was loaded in
    (ConcurrentTransitionMixin).
    """
    if name in REASON_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "请填写意见或理由。"})
    method = getattr(application, name)
    if not can_proceed(method, check_conditions=False):
        raise StateConflict(
            f"申报当前状态为“{application.get_state_display()}”，不能执行此操作；请刷新页面查看最新状态。"
        )
    meta = method._django_fsm
    if not meta.has_transition_perm(application, application.state, user):
        raise PermissionDenied("您无权对该申报执行此操作。")
    source, source_label = application.state, application.get_state_display()
    try:
        with transaction.atomic():
            try:
                with workflow.acting(user):
                    method()
            except TransitionNotAllowed:
                unmet = workflow.unmet(application, name, user)
                first = unmet[0] if unmet else Unmet("", "不满足办理条件。")
                message = first.message
                if len(unmet) > 1:
                    message = f"还有{len(unmet)}项要求未满足，请先按提示完善：{first.message}"
                raise RuleViolation(first.rule, message) from None
            except ChainEnd as end:
                raise StateConflict(str(end)) from None
            level = workflow.level_of(application)
            if level is not None and level > application.reached_level:
                application.reached_level = level
            application.row_version += 1
            if also_saves is None:
                application.save()
            else:
                application.save(update_fields=["state", "reached_level", "row_version", *also_saves])
            event = ApplicationEvent.objects.create(
                application=application,
                transition=name,
                source=source,
                target=application.state,
                actor=user,
                role=user.role,
                organisation_name=user.organisation.name if user.organisation_id else "",
                comment=comment.strip(),
                version_number=version_number or application.current_version or None,
            )
            audit_record(
                action=f"application.{name}",
                actor=user,
                target=application,
                application=application,
                summary=f"{application.number}：{source_label} → {application.get_state_display()}",
                payload={"from": source, "to": application.state, "comment": comment.strip()},
            )
            if name in AFTER_FILING:
                # Filing creates the filed space, a revocation or disqualification ends it: in the
                # transition itself, so no caller files or revokes without its record.
                from makerspace.filed.services import after_application_transition

                after_application_transition(application=application, name=name, user=user, comment=comment)
            # Inbox messages commit with the transition; their mail leaves through the outbox once
            # it has committed.
            notify_transition(event)
    except ConcurrentTransition:
        application.refresh_from_db()
        raise StateConflict(
            f"该申报刚刚已被他人处理，当前状态为“{application.get_state_display()}”；您的操作未生效。"
        ) from None
    return event


def _submitted_for_update(application_id: int) -> QuerySet[Application]:
    related = ("space__organisation", "batch", "recommending_unit", "supervisor", "basic_info", "report")
    locked = Application.objects.select_for_update(no_key=True, of=("self",))
    return locked.filter(pk=application_id).select_related(*related)


# The deadline's most expensive POST: its locked read compiled once (makerspace.core.prepared).
_SUBMITTED_FOR_UPDATE = Prepared(_submitted_for_update, int)


def _locked_for_submit(application: Application) -> Application:
    """The application under its row lock, with its files and cases kept as a prefetch keeps them
    (each in SQL compiled once, where prefetch_related compiles on every request)."""
    locked = _one(_SUBMITTED_FOR_UPDATE, application)
    keep_prefetched(locked, "attachments", selectors.attachments_of(locked))
    keep_prefetched(locked, "success_cases", selectors.success_cases_of(locked))
    return locked


def application_submit(*, user, application: Application) -> ApplicationVersion:
    """Submit: R5 deadline, R1–R4 readiness, then freeze a numbered version and fire `submit`.

    A double click finds the application already submitted and makes no second version.
    A unit with a bad credit record in force cannot submit (R8); the check is kept on record (with
    the submission, or alone when it is refused), and the transition's own R8 condition sees the
    records that check read (one read of the register).
    The row is read again under its lock and that copy is fired; after the commit `application`
    takes the values the copy committed (`_adopt`). (Reading the caller's instance itself again
    would use django-fsm's refresh_from_db, which unprotects the state field class-wide for its
    duration: two submissions at once in two threads then refuse each other with an
    AttributeError.)
    """
    check = {"user": user, "checkpoint": "submission", "application": application}
    with register_read_once():
        try:
            # The check's audit row and the transition's are appended together as the block ends
            # (one lock of the chain's head, taken last).
            with transaction.atomic(), audit_together():
                # FOR NO KEY UPDATE of this row only: a plain FOR UPDATE would also lock the batch
                # (every submission of the batch would queue on it) and would block the key-share
                # lock that an audit row referencing the application takes, while that writer holds
                # the audit chain's head: a deadlock with this transaction's own audit row.
                # With everything the snapshot and the readiness check (R1–R4) read, once.
                locked = _locked_for_submit(application)
                check["organisation"] = locked.space.organisation
                credit_check_enforce(**check)
                if locked.state not in EDITABLE:
                    raise StateConflict(f"该申报已提交（第{locked.current_version}版），无需重复提交。")
                # The version is frozen first: the submit transition's conditions (R1–R5, R8) then
                # decide, and a refusal rolls the version back with everything else.
                data = application_snapshot(locked)
                number = locked.current_version + 1
                version = ApplicationVersion.objects.create(
                    application=locked,
                    number=number,
                    data=data,
                    data_sha256=snapshot_digest(data),
                    submitted_by=user,
                )
                locked.current_version = number
                locked.submitted_at = timezone.now()
                application_transition(
                    user=user,
                    application=locked,
                    name="submit",
                    version_number=number,
                    also_saves=("current_version", "submitted_at"),
                )
        except Exception:
            # Refused or failed, nothing of the submission stays; the R8 look-up is kept on
            # record all the same (from the read above: the register is not read again).
            if "organisation" not in check:
                check["organisation"] = application.space.organisation
            credit_check_record(**check)
            raise
    _adopt(application, locked)
    return version


def _adopt(application: Application, fired: Application) -> None:
    """`application` takes the values that `fired`, a copy of the same row, has just committed:
    what refresh_from_db would read, without its query and without django-fsm's unprotecting of
    the state field for every instance of every thread meanwhile. The values are written to the
    instance itself, as loading from the database does; the next transition fired on it is
    conditional on the state it takes here (ConcurrentTransitionMixin)."""
    for field in Application._meta.concrete_fields:
        application.__dict__[field.attname] = getattr(fired, field.attname)
    application._prefetched_objects_cache = {}
    application._update_initial_state()


def application_withdraw(*, user, application: Application, reason: str) -> ApplicationEvent:
    return application_transition(user=user, application=application, name="withdraw", comment=reason)
