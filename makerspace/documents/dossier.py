"""The ZIP a recommending unit delivers (its packages, its 推荐函, its 汇总表) and the one the
province sends on (the selected packages, its letter, its 汇总表).

A dossier's key is the digest of its inputs: every listed application's version hash, state and
rank, and the letter's content. The same key means the same ZIP, which is then never rebuilt."""

import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable

from makerspace.applications.models import ApplicationVersion
from makerspace.core.errors import StateConflict
from makerspace.permissions import require_lists_only_visible

from . import content as c
from . import selectors, services
from .exports import write_summary
from .models import DocumentJob, Format, Kind


def _version_hashes(applications) -> list:
    pairs = {
        (v.application_id, v.number): v.data_sha256
        for v in ApplicationVersion.objects.filter(application__in=applications).only(
            "application_id", "number", "data_sha256"
        )
    }
    return [
        [
            a.number,
            a.current_version,
            pairs.get((a.pk, a.current_version)),
            a.state,
            a.recommender_rank,
            a.province_rank,
        ]
        for a in applications
    ]


def unit_dossier_key(unit, batch) -> str:
    applications = selectors.unit_dossier_applications(unit, batch)
    return c.digest(
        {"versions": _version_hashes(applications), "letter": c.recommendation_letter_content(unit, batch)}
    )


def batch_dossier_key(batch) -> str:
    applications = selectors.batch_dossier_applications(batch)
    return c.digest({"versions": _version_hashes(applications), "letter": c.province_letter_content(batch)})


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "文件"


COPY_CHUNK = 1024 * 1024


def _copy_into(archive: zipfile.ZipFile, name: str, field_file, *, compress: bool = False) -> None:
    """Copy a stored file into the ZIP in chunks: a dossier of hundreds of packages never sits in
    memory whole, nor does any one package."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with field_file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, COPY_CHUNK)


def _sealed_letters(batch, unit=None) -> list:
    """The units' sealed 推荐函 scans (one per unit that uploaded one)."""
    from makerspace.reviews.models import UnitSubmission

    submissions = (
        UnitSubmission.objects.filter(batch=batch).exclude(letter="").select_related("recommending_unit")
    )
    if unit is not None:
        submissions = submissions.filter(recommending_unit=unit)
    return list(submissions.order_by("recommending_unit__name"))


def _extension(submission) -> str:
    return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        submission.letter_content_type, "pdf"
    )


def build_dossier(job: DocumentJob, progress: Callable[[int], None]):
    """Build the ZIP of a unit or batch job into a temporary file; returns (file name, open file
    positioned at its start). The caller stores it and closes it.

    A unit's ZIP holds its 推荐函 (generated, and the sealed scan it uploaded), the 汇总表 and the
    packages (each with its sealed 附件4 and 附件5). The province's holds its letter, which must
    be final, every unit's sealed 推荐函 and the selected packages."""
    user, batch = job.requested_by, job.batch
    if job.kind == DocumentJob.JobKind.UNIT_DOSSIER:
        unit = job.recommending_unit
        applications = selectors.unit_dossier_applications(unit, batch)
        letter_kind, scope = Kind.RECOMMENDATION_LETTER, unit.name
    else:
        unit = None
        applications = selectors.batch_dossier_applications(batch)
        letter_kind, scope = Kind.PROVINCE_LETTER, "江苏省科学技术厅"
        ensure_province_letter_final(batch)
    # The requester's scope again at build time: the job may run long after it was asked for.
    require_lists_only_visible(user, applications)
    steps = len(applications) + 2
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to the caller, who closes it
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for fmt in (Format.DOCX, Format.PDF):
            letter = services.letter_document(
                user=user, kind=letter_kind, fmt=fmt, batch=batch, recommending_unit=unit
            )
            archive.writestr(letter.filename, letter.data)
        for submission in _sealed_letters(batch, unit):
            folder = "" if unit is not None else "推荐单位推荐函/"
            name = f"{folder}{batch.year}-{_safe(submission.recommending_unit.name)}-推荐函（盖章扫描件）"
            _copy_into(archive, f"{name}.{_extension(submission)}", submission.letter)
        progress(100 // steps)
        with tempfile.TemporaryFile() as sheet:
            ids = [a.pk for a in applications]
            write_summary(
                selectors.summary_applications(user, batch=batch).filter(pk__in=ids), sheet, title="汇总表"
            )
            sheet.seek(0)
            with archive.open(f"汇总表-{_safe(scope)}.xlsx", "w") as target:
                shutil.copyfileobj(sheet, target, COPY_CHUNK)
        for done, application in enumerate(applications, start=2):
            issued = services.package_issue(
                user=user, application=application, version_number=application.current_version
            )
            space = _safe(application.space.name)
            name = f"申报材料/{_rank(application, job)}-{application.number}-{space}.pdf"
            _copy_into(archive, name, issued.file)
            progress(done * 100 // steps)
    spool.seek(0)
    return f"{batch.year}-{_safe(scope)}-报送材料.zip", spool


def ensure_province_letter_final(batch) -> None:
    """The province's ZIP goes to the ministry: never with a 草稿 letter in it."""
    if not c.province_letter_content(batch)["final"]:
        raise StateConflict(
            "省科技厅推荐函仍是草稿（本批次尚有申报未完成择优或名单为空），不能生成省级推荐材料包。"
            "请完成全部择优后再生成。"
        )


def _rank(application, job: DocumentJob) -> str:
    rank = (
        application.recommender_rank
        if job.kind == DocumentJob.JobKind.UNIT_DOSSIER
        else application.province_rank
    )
    return f"{rank:02d}" if rank else "00"
