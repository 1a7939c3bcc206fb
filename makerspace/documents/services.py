"""Writes of the documents app: issuing verifiable documents, background jobs, imports.

An issued document is keyed by the digest of what went into it. Asking again for the same
document of the same version returns the stored bytes with the same verification code; when
anything it shows changes (a new version, the supervisor's signing date), a new one is issued.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from makerspace.applications.models import Application
from makerspace.audit.services import audit_record
from makerspace.core.errors import StateConflict
from makerspace.core.files import file_stored, files_atomic
from makerspace.core.i18n import in_chinese

from . import content as c
from . import generate
from .models import DocumentJob, Format, IssuedDocument, Kind
from .stamp import make_stamp


@dataclass(frozen=True)
class RenderedDocument:
    filename: str
    content_type: str
    data: bytes
    issued: IssuedDocument | None

    @property
    def is_draft(self) -> bool:
        return self.issued is None


CONTENT_TYPES = {
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@in_chinese
def issue_document(
    *,
    kind: str,
    fmt: str,
    data: dict,
    render,
    reference: str,
    title: str,
    user=None,
    application: Application | None = None,
    version_number: int | None = None,
    recommending_unit=None,
    batch=None,
) -> IssuedDocument:
    """The issued document for this content: the stored one if the same content was issued
    before, otherwise rendered now with a fresh verification code and stored."""
    input_sha256 = c.digest({"kind": kind, "format": fmt, "data": data})
    existing = IssuedDocument.objects.filter(kind=kind, format=fmt, input_sha256=input_sha256).first()
    if existing is not None:
        return existing
    stamp = make_stamp(reference=reference)
    raw = render(data, stamp)
    document = IssuedDocument(
        application=application,
        recommending_unit=recommending_unit,
        batch=batch,
        version_number=version_number,
        kind=kind,
        format=fmt,
        title=title[:200],
        input_sha256=input_sha256,
        code=stamp.code,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        issued_by=user if user is not None and user.is_authenticated else None,
        created_at=timezone.now(),
    )
    try:
        with files_atomic():
            document.file.save(f"{kind}.{fmt}", ContentFile(raw), save=False)
            file_stored(document.file)
            document.save()
            audit_record(
                action="document.issue",
                actor=user,
                target=document,
                application=application,
                summary=f"签发 {document.title}（验证码 {document.code}）",
                payload={"kind": kind, "format": fmt, "sha256": document.sha256, "version": version_number},
            )
    except IntegrityError:
        # Someone issued the same content a moment earlier: theirs stands, ours was discarded.
        return IssuedDocument.objects.get(kind=kind, format=fmt, input_sha256=input_sha256)
    return document


def read_issued(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@in_chinese
def application_document(
    *, user, application: Application, kind: str, fmt: str, version_number: int | None = None
) -> RenderedDocument:
    """附件2–5 of one application: a watermarked draft of the live data, or the issued document of
    a submitted version (number, version and QR verification code on every page)."""
    render = generate.renderer(kind, fmt)
    version = generate.version_to_render(application, version_number)
    data = generate.application_content(application, version)
    filename = generate.application_filename(data, kind, fmt)
    if version is None:
        return RenderedDocument(filename, CONTENT_TYPES[fmt], render(data, None, draft=True), None)
    issued = issue_document(
        kind=kind,
        fmt=fmt,
        data=data,
        render=render,
        reference=generate.application_reference(data),
        title=f"{data['number']} {Kind(kind).label}（第{version.number}版）",
        user=user,
        application=application,
        version_number=version.number,
    )
    return RenderedDocument(filename, CONTENT_TYPES[fmt], read_issued(issued), issued)


def _package_parts(application: Application, version_number: int | None, progress):
    from . import package, selectors

    version = generate.version_to_render(application, version_number)
    data = generate.application_content(application, version)
    recorded = data["attachments"] + data["sealed_scans"]
    files = selectors.attachments_by_id(application, [a["id"] for a in recorded])

    def render(content, stamp, draft=False):
        return package.build_package(content, stamp, draft=draft, attachments=files, progress=progress)

    return version, data, render


@in_chinese
def package_issue(
    *, user, application: Application, version_number: int | None = None, progress=None
) -> IssuedDocument:
    """The issued package of a submitted version, built the first time only; its bytes stay in
    storage (a dossier copies them from there in chunks)."""
    version, data, render = _package_parts(application, version_number, progress)
    if version is None:
        raise StateConflict("草稿没有签发的合订本。")
    return issue_document(
        kind=Kind.PACKAGE,
        fmt=Format.PDF,
        data=data,
        render=render,
        reference=generate.application_reference(data),
        title=f"{data['number']} 申报材料合订本（第{version.number}版）",
        user=user,
        application=application,
        version_number=version.number,
    )


@in_chinese
def package_document(
    *, user, application: Application, version_number: int | None = None, progress=None
) -> RenderedDocument:
    """The bound PDF of one version (or of the live draft, watermarked)."""
    version, data, render = _package_parts(application, version_number, progress)
    filename = generate.application_filename(data, Kind.PACKAGE, Format.PDF)
    if version is None:
        return RenderedDocument(filename, CONTENT_TYPES[Format.PDF], render(data, None, draft=True), None)
    issued = package_issue(
        user=user, application=application, version_number=version_number, progress=progress
    )
    return RenderedDocument(filename, CONTENT_TYPES[Format.PDF], read_issued(issued), issued)


@in_chinese
def letter_document(*, user, kind: str, fmt: str, batch, recommending_unit=None) -> RenderedDocument:
    """The unit's 推荐函 or the province's letter: a draft until the list is final."""
    render = generate.renderer(kind, fmt)
    if kind == Kind.RECOMMENDATION_LETTER:
        data = c.recommendation_letter_content(recommending_unit, batch)
        reference = f"{recommending_unit.short_name}推荐函 · {batch.year}年"
    else:
        data = c.province_letter_content(batch)
        reference = f"省科技厅推荐函 · {batch.year}年"
    filename = generate.letter_filename(data, kind, fmt)
    if not data["final"]:
        return RenderedDocument(filename, CONTENT_TYPES[fmt], render(data, None, draft=True), None)
    issued = issue_document(
        kind=kind,
        fmt=fmt,
        data=data,
        render=render,
        reference=reference,
        title=filename.rsplit(".", 1)[0],
        user=user,
        recommending_unit=recommending_unit,
        batch=batch,
    )
    return RenderedDocument(filename, CONTENT_TYPES[fmt], read_issued(issued), issued)


@in_chinese
def blank_form(number: int) -> RenderedDocument:
    """附件1–5 as the public downloads them: empty forms, no marks."""
    from . import render_docx
    from .notice_text import GUIDELINE_PARAGRAPHS

    names = {
        1: ("附件1-专业化众创空间建设工作指引.docx", lambda: render_docx.guideline(GUIDELINE_PARAGRAPHS)),
        2: ("附件2-国家专业化众创空间基础信息表.docx", lambda: render_docx.basic_info(c.blank_content())),
        3: ("附件3-国家专业化众创空间备案申报书.docx", lambda: render_docx.report(c.blank_content())),
        4: ("附件4-申报单位信用承诺书.docx", lambda: render_docx.commitment_applicant(c.blank_content())),
        5: ("附件5-主管部门信用承诺书.docx", lambda: render_docx.commitment_supervisor(c.blank_content())),
    }
    filename, build = names[number]
    return RenderedDocument(filename, CONTENT_TYPES[Format.DOCX], build(), None)


# Background jobs ------------------------------------------------------------------------------


def job_request(*, user, kind: str, input_sha256: str, **scope) -> DocumentJob:
    """A job for these inputs: a finished or running one with the same input digest is reused, so an
    unchanged package or dossier is never built twice. A job whose worker died is never handed
    back as it is: it is re-queued or failed first (`jobs_reap_stalled`)."""
    same = DocumentJob.objects.filter(kind=kind, input_sha256=input_sha256, **scope)
    jobs_reap_stalled(same)
    reusable = same.exclude(status=DocumentJob.Status.FAILED).order_by("-created_at").first()
    if reusable is not None and reusable.requested_by_id == user.pk:
        return reusable
    with transaction.atomic():
        if reusable is not None and reusable.status == DocumentJob.Status.DONE:
            job = DocumentJob.objects.create(
                kind=kind,
                input_sha256=input_sha256,
                requested_by=user,
                status=DocumentJob.Status.DONE,
                progress=100,
                file=reusable.file.name,
                filename=reusable.filename,
                sha256=reusable.sha256,
                size=reusable.size,
                finished_at=timezone.now(),
                message="内容未变化，沿用已生成的文件。",
                **scope,
            )
        else:
            job = DocumentJob.objects.create(kind=kind, input_sha256=input_sha256, requested_by=user, **scope)
            _enqueue(job)
        audit_record(
            action="document.job_request", actor=user, target=job, summary=f"生成 {job.get_kind_display()}"
        )
    return job


def _enqueue(job: DocumentJob) -> None:
    """Recorded in the outbox with the job row; the broker gets it after commit."""
    from makerspace.core.outbox import outbox_enqueue

    from .tasks import build_document_job

    outbox_enqueue(build_document_job, job.pk)


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.DOCUMENT_JOB_STALE_SECONDS)


STALLED_MESSAGE = (
    "生成中断：处理进程已停止响应，已运行{attempts}次仍未完成。请重新生成；如仍失败，请联系系统管理员。"
)


def jobs_reap_stalled(jobs=None) -> tuple[int, int]:
    """Running jobs whose worker has been silent past DOCUMENT_JOB_STALE_SECONDS (killed, machine
    lost): each is put back in the queue while it has runs left, else failed with a message.
    Periodic (`documents.reap_stalled_jobs`) and before any job is reused. Returns (re-queued,
    failed)."""
    if jobs is None:
        jobs = DocumentJob.objects.all()
    stale = jobs.filter(status=DocumentJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=_stale_before()) | Q(heartbeat_at__isnull=True, created_at__lt=_stale_before())
    )
    requeued = failed = 0
    for job in stale:
        with transaction.atomic():
            if job.attempts < settings.DOCUMENT_JOB_MAX_ATTEMPTS:
                claimed = DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.RUNNING).update(
                    status=DocumentJob.Status.PENDING, progress=0, heartbeat_at=None
                )
                if claimed:
                    _enqueue(job)
                    requeued += 1
            else:
                failed += DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.RUNNING).update(
                    status=DocumentJob.Status.FAILED,
                    message=STALLED_MESSAGE.format(attempts=job.attempts)[:300],
                    finished_at=timezone.now(),
                )
    return requeued, failed


def job_retry(*, user, jobs) -> int:
    """An administrator re-runs failed or stalled jobs (audited)."""
    from makerspace.permissions import require

    require(user, "core.retry_background_work", message="只有系统管理员可以重新生成。")
    count = 0
    for job in jobs:
        if job.status == DocumentJob.Status.DONE:
            continue
        with transaction.atomic():
            DocumentJob.objects.filter(pk=job.pk).update(
                status=DocumentJob.Status.PENDING, progress=0, heartbeat_at=None, attempts=0, message=""
            )
            audit_record(
                action="document.job_retry",
                actor=user,
                target=job,
                summary=f"重新生成 {job.get_kind_display()} #{job.pk}",
                payload={"status": job.status, "message": job.message},
            )
            _enqueue(job)
        count += 1
    return count


def job_progress(job_id: int, percent: int) -> None:
    DocumentJob.objects.filter(pk=job_id).update(
        progress=max(0, min(99, percent)), heartbeat_at=timezone.now()
    )


def job_start(job: DocumentJob) -> bool:
    """Claim a pending job, or a running one whose worker died (the broker delivered it again after
    the worker was killed); False when a live worker has it or it has finished."""
    claimable = Q(status=DocumentJob.Status.PENDING) | Q(
        status=DocumentJob.Status.RUNNING, heartbeat_at__lt=_stale_before()
    )
    claimed = bool(
        DocumentJob.objects.filter(claimable, pk=job.pk).update(
            status=DocumentJob.Status.RUNNING,
            progress=1,
            heartbeat_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )
    if claimed:
        job.refresh_from_db(fields=["status", "progress", "heartbeat_at", "attempts"])
    return claimed


def job_finish(job: DocumentJob, *, filename: str, data: bytes | None = None, handle=None) -> None:
    """Store a job's file: `data`, or an open binary file `handle` streamed to storage in chunks
    (a dossier is never held in memory whole)."""
    from django.core.files import File

    if handle is None:
        handle = io.BytesIO(data)
    digest_ = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest_.update(chunk)
    size = handle.tell()
    handle.seek(0)
    with files_atomic():
        job.file.save(filename, File(handle, name=filename), save=False)
        file_stored(job.file)
        job.filename = filename
        job.sha256 = digest_.hexdigest()
        job.size = size
        job.status = DocumentJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "filename", "sha256", "size", "status", "progress", "finished_at"])


def job_fail(job: DocumentJob, message: str) -> None:
    job.status = DocumentJob.Status.FAILED
    job.message = message[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


# Imports --------------------------------------------------------------------------------------


@in_chinese
def import_preview(*, user, batch, upload):
    """Step one: read the sheet and keep what it found. Nothing is written to the applications."""
    from .imports import parse_workbook
    from .models import ApplicationImport

    if batch.status != batch.Status.OPEN:
        raise ValidationError({"batch": "只能导入到受理中的批次。"})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    result = parse_workbook(upload, user=user, batch=batch)
    with transaction.atomic():
        pending = ApplicationImport.objects.create(
            uploaded_by=user,
            batch=batch,
            file_name=(upload.name or "")[-255:],
            file_sha256=digest.hexdigest(),
            rows=result.rows,
            errors=[e.as_dict() for e in result.errors],
            total_rows=result.total,
        )
        audit_record(
            action="document.import_preview",
            actor=user,
            target=pending,
            summary=f"上传导入文件 {pending.file_name}：{len(result.rows)}行有效，{result.bad_rows}行有误",
            payload={"sha256": pending.file_sha256},
        )
    return pending


@in_chinese
def import_confirm(*, user, pending) -> tuple[int, list]:
    """Step two: create the draft applications of the valid rows, all in one transaction.

    Every row is checked again against the database as it is now (someone may have created the
    same space since the preview); a row that no longer passes is skipped and reported."""
    from makerspace.accounts.models import Organisation, RecommendingUnit, Role
    from makerspace.applications.models import BasicInfo, MakerSpace, Report

    from .models import ApplicationImport

    if pending.status != ApplicationImport.Status.PREVIEW:
        raise StateConflict("该导入已确认过，不能重复导入。")
    created, skipped, invited = 0, [], []
    with transaction.atomic():
        locked = ApplicationImport.objects.select_for_update().get(pk=pending.pk)
        if locked.status != ApplicationImport.Status.PREVIEW:
            raise StateConflict("该导入已确认过，不能重复导入。")
        for row in locked.rows:
            problems = _recheck(locked.batch, row)
            if problems:
                skipped.extend(problems)
                continue
            unit = RecommendingUnit.objects.get(pk=row["unit_id"])
            organisation = Organisation.objects.filter(credit_code=row["credit_code"]).first()
            if organisation is None:
                organisation = Organisation(
                    name=row["organisation_name"],
                    credit_code=row["credit_code"],
                    kind=Role.APPLICANT,
                    nature=row["basic_info"].get("operator_nature", ""),
                    legal_representative=row["basic_info"].get("legal_representative", ""),
                    phone=row["basic_info"].get("legal_phone", ""),
                    address=row["basic_info"].get("address", ""),
                    email=row["basic_info"].get("email", ""),
                    recommending_unit=unit,
                )
                organisation.full_clean()
                organisation.save()
                invited.append(organisation)
            space, _ = MakerSpace.objects.get_or_create(
                name=row["space"], defaults={"organisation": organisation}
            )
            application = Application.objects.create(
                space=space,
                batch=locked.batch,
                recommending_unit=unit,
                unit_sort_order=unit.sort_order,
                supervisor_id=row["supervisor_id"],
                provincial_filing=row["provincial_filing"],
                created_by=user,
            )
            application.number = Application.make_number(locked.batch.year, application.pk)
            application.save(update_fields=["number"])
            info = BasicInfo(application=application, **row["basic_info"])
            info.full_clean()
            info.save()
            Report.objects.create(application=application)
            audit_record(
                action="application.import",
                actor=user,
                target=application,
                application=application,
                summary=f"导入创建申报 {application.number}（{space.name}，第{row['row']}行）",
                payload={"import": locked.pk, "row": row["row"]},
            )
            created += 1
        locked.status = ApplicationImport.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.created_count = created
        locked.save(update_fields=["status", "confirmed_at", "created_count"])
        audit_record(
            action="document.import_confirm",
            actor=user,
            target=locked,
            summary=f"确认导入 {locked.file_name}：创建{created}个草稿申报，跳过{len(skipped)}处",
        )
        # An organisation the import created has no account yet: its first user is invited at the
        # address the 汇总表 gives for it (附件2's Email).
        from makerspace.accounts.services import invitation_send

        for organisation in invited:
            invitation_send(organisation=organisation, role=Role.APPLICANT, by=user)
    pending.refresh_from_db()
    return created, skipped


def _recheck(batch, row: dict) -> list:
    from .imports import RowError

    if Application.objects.filter(space__name=row["space"], batch=batch).exists():
        return [
            RowError(
                row["row"], "", "众创空间名称", "该众创空间在本批次已有申报（预览后他人已创建），已跳过。"
            )
        ]
    return []
