"""Background builds of packages and dossiers (inline when no Celery broker is configured).

Acknowledged late and requeued when the worker is lost (CELERY_TASK_ACKS_LATE,
CELERY_TASK_REJECT_ON_WORKER_LOST): a worker killed mid-job hands the job to the next worker,
which takes it over once its heartbeat is stale (`services.job_start`)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from makerspace.core.errors import StateConflict
from makerspace.core.i18n import in_chinese

from . import services
from .models import DocumentJob

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="documents.build_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_JOB_SOFT_TIME_LIMIT + 60,
    max_retries=settings.DOCUMENT_JOB_MAX_ATTEMPTS,
)
@in_chinese
def build_document_job(self, job_id: int) -> None:
    job = DocumentJob.objects.select_related("application", "batch", "recommending_unit", "requested_by").get(
        pk=job_id
    )
    if not services.job_start(job):
        if job.status == DocumentJob.Status.RUNNING and self.request.id and not self.request.is_eager:
            # Delivered again while the job still looks alive: its worker was killed a moment ago
            # (the broker gives a lost worker's job back at once) or is still at it. Come back once
            # its heartbeat would be stale: then take it over, or find it finished.
            raise self.retry(countdown=settings.DOCUMENT_JOB_STALE_SECONDS + 1)
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
    except SoftTimeLimitExceeded:
        services.job_fail(
            job,
            f"生成超时：超过{settings.DOCUMENT_JOB_SOFT_TIME_LIMIT // 60}分钟仍未完成。"
            "请稍后重试；如仍超时，请联系系统管理员。",
        )
    except Exception as error:
        logger.exception("document job %s failed", job.pk)
        services.job_fail(job, f"生成失败：{type(error).__name__}。请稍后重试或联系系统管理员。")


@shared_task(name="documents.reap_stalled_jobs", acks_late=True, time_limit=120)
def reap_stalled_jobs() -> list[int]:
    return list(services.jobs_reap_stalled())
