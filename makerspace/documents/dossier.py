"""The ZIP a recommending unit delivers (its packages, its 推荐函, its 汇总表) and the one the
province sends on (the selected packages, its letter, its 汇总表).

A dossier's key is the digest of its inputs: every listed application's version hash, state and
rank, and the letter's content. The same key means the same ZIP, which is then never rebuilt."""

import io
import tempfile
import zipfile
from collections.abc import Callable

from makerspace.applications.models import ApplicationVersion
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


def build_dossier(job: DocumentJob, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """Build the ZIP of a unit or batch job; returns (file name, bytes)."""
    user, batch = job.requested_by, job.batch
    if job.kind == DocumentJob.JobKind.UNIT_DOSSIER:
        unit = job.recommending_unit
        applications = selectors.unit_dossier_applications(unit, batch)
        letter_kind, scope = Kind.RECOMMENDATION_LETTER, unit.name
    else:
        unit = None
        applications = selectors.batch_dossier_applications(batch)
        letter_kind, scope = Kind.PROVINCE_LETTER, "江苏省科学技术厅"
    # The requester's scope again at build time: the job may run long after it was asked for.
    require_lists_only_visible(user, applications)
    steps = len(applications) + 2
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for fmt in (Format.DOCX, Format.PDF):
                letter = services.letter_document(
                    user=user, kind=letter_kind, fmt=fmt, batch=batch, recommending_unit=unit
                )
                archive.writestr(letter.filename, letter.data)
            progress(100 // steps)
            sheet = io.BytesIO()
            ids = [a.pk for a in applications]
            write_summary(
                selectors.summary_applications(user, batch=batch).filter(pk__in=ids), sheet, title="汇总表"
            )
            archive.writestr(f"汇总表-{_safe(scope)}.xlsx", sheet.getvalue())
            for done, application in enumerate(applications, start=2):
                package = services.package_document(
                    user=user, application=application, version_number=application.current_version
                )
                space = _safe(application.space.name)
                name = f"申报材料/{_rank(application, job)}-{application.number}-{space}.pdf"
                archive.writestr(name, package.data, compress_type=zipfile.ZIP_STORED)
                progress(done * 100 // steps)
        spool.seek(0)
        data = spool.read()
    return f"{batch.year}-{_safe(scope)}-报送材料.zip", data


def _rank(application, job: DocumentJob) -> str:
    rank = (
        application.recommender_rank
        if job.kind == DocumentJob.JobKind.UNIT_DOSSIER
        else application.province_rank
    )
    return f"{rank:02d}" if rank else "00"
