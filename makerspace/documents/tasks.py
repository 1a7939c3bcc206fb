"""Background builds of packages and dossiers (inline when no Celery broker is configured)."""

import logging

from celery import shared_task

from makerspace.core.errors import StateConflict
from makerspace.core.i18n import in_chinese

from . import services
from .models import DocumentJob

logger = logging.getLogger(__name__)


@shared_task
@in_chinese
def build_document_job(job_id: int) -> None:
    job = DocumentJob.objects.select_related("application", "batch", "recommending_unit", "requested_by").get(
        pk=job_id
    )
    if not services.job_start(job):
        return

    def progress(percent: int) -> None:
        services.job_progress(job.pk, percent)

    try:
        if job.kind == DocumentJob.JobKind.PACKAGE:
            rendered = services.package_document(
                user=job.requested_by,
                application=job.application,
                version_number=job.version_number,
                progress=progress,
            )
            services.job_finish(job, filename=rendered.filename, data=rendered.data)
        else:
            from .dossier import build_dossier

            filename, spool = build_dossier(job, progress)
            with spool:
                services.job_finish(job, filename=filename, handle=spool)
    except StateConflict as error:
        services.job_fail(job, str(error))
    except Exception as error:
        logger.exception("document job %s failed", job.pk)
        services.job_fail(job, f"生成失败：{type(error).__name__}。请稍后重试或联系系统管理员。")
