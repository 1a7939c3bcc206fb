"""Reads of the documents app, each with a bounded number of queries."""

from django.db.models import QuerySet

from makerspace.accounts.models import RecommendingUnit, Role
from makerspace.applications.models import Application, Attachment
from makerspace.batches.models import Batch
from makerspace.permissions import province_of, visible_applications, visible_batches

from . import content as c
from .models import DocumentJob, IssuedDocument


def attachments_by_id(application: Application, ids: list[int]) -> dict[int, Attachment]:
    """The files a version refers to, retired or not: a frozen version keeps its files."""
    return {a.pk: a for a in Attachment.objects.filter(application=application, pk__in=ids)}


def issued_by_code(code: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("application__space", "recommending_unit", "batch")
        .filter(code=code)
        .first()
    )


def issued_by_sha256(sha256: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("application__space", "recommending_unit", "batch")
        .filter(sha256=sha256)
        .first()
    )


def issued_for_application(application: Application) -> QuerySet[IssuedDocument]:
    return application.issued_documents.order_by("-version_number", "kind", "format")


def job_for(user, pk) -> DocumentJob:
    """A job only its requester sees (404 for anyone else)."""
    from django.http import Http404

    job = (
        DocumentJob.objects.select_related("application", "batch", "recommending_unit")
        .filter(pk=pk, requested_by=user)
        .first()
        if str(pk).isdigit()
        else None
    )
    if job is None:
        raise Http404("没有找到该任务。")
    return job


def summary_applications(
    user, *, batch=None, recommending_unit=None, state: str = ""
) -> QuerySet[Application]:
    """What the user may put in a 汇总表: the permission module's queryset, then the filters."""
    applications = visible_applications(user)
    if batch is not None:
        applications = applications.filter(batch=batch)
    if recommending_unit is not None:
        applications = applications.filter(recommending_unit=recommending_unit)
    if state:
        applications = applications.filter(state=state)
    return applications


def units_for(user) -> QuerySet[RecommendingUnit]:
    """The units whose letters and dossiers a user works with."""
    if user.role == Role.RECOMMENDER and user.organisation_id and user.organisation.recommending_unit_id:
        return RecommendingUnit.objects.filter(pk=user.organisation.recommending_unit_id)
    if user.role in (Role.ACCEPTANCE, Role.PROVINCE):
        return RecommendingUnit.objects.filter(active=True, province=province_of(user))
    return RecommendingUnit.objects.none()


def recent_batches(user) -> QuerySet[Batch]:
    return visible_batches(user, Batch.objects.exclude(status=Batch.Status.DRAFT)).order_by("-year", "-id")[
        :5
    ]


def unit_dossier_applications(unit, batch) -> list[Application]:
    return list(
        Application.objects.filter(recommending_unit=unit, batch=batch, state__in=c.RECOMMENDED_STATES)
        .select_related("space__organisation", "batch", "recommending_unit", "supervisor")
        .prefetch_related("batch__steps")
        .order_by("recommender_rank", "number")
    )


def batch_dossier_applications(batch) -> list[Application]:
    return list(
        Application.objects.filter(batch=batch, state__in=c.SELECTED_STATES)
        .select_related("space__organisation", "batch", "recommending_unit", "supervisor")
        .prefetch_related("batch__steps")
        .order_by("province_rank", "number")
    )


def recent_jobs(user) -> QuerySet[DocumentJob]:
    return DocumentJob.objects.filter(requested_by=user).select_related(
        "application", "batch", "recommending_unit"
    )[:10]


def issued_status(document: IssuedDocument) -> list[str]:
    """Why an issued document is no longer the valid one; an empty list means it is current.

    The verification page shows these, so a returned or superseded version, or a 附件5 printed
    before the supervisor signed, is never taken for the document that counts."""
    from makerspace.applications.models import ApplicationEvent

    from .models import Kind

    problems = []
    application = document.application
    if application is not None:
        if (application.current_version or 0) > (document.version_number or 0):
            problems.append(f"该版本已被第{application.current_version}版取代，不是最新提交的申报材料")
        elif ApplicationEvent.objects.filter(
            application=application, transition="return_to_applicant", version_number=document.version_number
        ).exists():
            problems.append("该版本已退回修改，不是有效的申报材料")
        if document.kind in (Kind.COMMITMENT_SUPERVISOR, Kind.PACKAGE):
            signed = ApplicationEvent.objects.filter(
                application=application,
                transition="forward",
                version_number=document.version_number,
                at__lte=document.created_at,
            ).exists()
            if not signed:
                problems.append("该文件生成于主管部门签署前，其中的主管部门信用承诺书尚未签署")
    else:
        newer = (
            IssuedDocument.objects.filter(
                kind=document.kind,
                format=document.format,
                batch=document.batch_id,
                recommending_unit=document.recommending_unit_id,
                created_at__gt=document.created_at,
            )
            .order_by("-created_at")
            .first()
        )
        if newer is not None:
            problems.append(f"该函已被{newer.created_at:%Y年%m月%d日}签发的新版本（验证码 {newer.code}）取代")
    return problems
