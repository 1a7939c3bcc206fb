"""Reads for the applicant's pages, each with a fixed number of queries."""

from django.db.models import Count, QuerySet

from makerspace.permissions import visible_applications

from .models import Application, ApplicationEvent, ApplicationVersion, Attachment, MakerSpace


def applications_of_applicant(user) -> QuerySet[Application]:
    return (
        visible_applications(user)
        .select_related("space", "batch", "recommending_unit", "supervisor")
        .order_by("-batch__year", "-created_at")
    )


def spaces_of_applicant(user) -> QuerySet[MakerSpace]:
    return MakerSpace.objects.filter(organisation_id=user.organisation_id).annotate(
        application_count=Count("applications")
    )


def application_for_page_queryset() -> QuerySet[Application]:
    return Application.objects.select_related(
        "space__organisation",
        "batch",
        "recommending_unit",
        "supervisor",
        "basic_info",
        "report",
        "commitment_signed_by",
    )


def current_attachments(application: Application) -> QuerySet[Attachment]:
    return application.attachments.filter(retired_at__isnull=True).select_related("uploaded_by")


def application_versions(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.select_related("submitted_by").defer("data")


def application_events(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor")
