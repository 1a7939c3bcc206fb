"""Reads of filed spaces and their reports, scoped by the permission module."""

from django.db.models import Count, Prefetch, Q, QuerySet

from makerspace.accounts.models import Role
from makerspace.permissions import visible_filed_spaces, visible_reports

from .models import AnnualReport, FiledSpace, ReportRound, RoundStep
from .workflow import FILED, ReportState


def rounds_for(user) -> QuerySet[ReportRound]:
    """Every round with its chain and its counts, over the reports the user sees: one query for the
    rounds, one for their steps, whatever the number of spaces."""
    scope = Q()
    if user.role == Role.RECOMMENDER:
        scope = Q(reports__filed_space__recommending_unit_id=user.organisation.recommending_unit_id)
    return (
        ReportRound.objects.annotate(
            total=Count("reports", filter=scope),
            filed=Count("reports", filter=scope & Q(reports__state__in=FILED)),
            accepted=Count("reports", filter=scope & Q(reports__state=ReportState.ACCEPTED)),
            missing=Count("reports", filter=scope & Q(reports__state=ReportState.MISSING)),
        )
        .prefetch_related(Prefetch("steps", queryset=RoundStep.objects.order_by("position")))
        .order_by("-year")
    )


def round_reports(user, report_round: ReportRound) -> QuerySet[AnnualReport]:
    return (
        visible_reports(user, AnnualReport.objects.filter(round=report_round))
        .select_related("filed_space")
        .order_by("filed_space__number")
    )


def my_reports(user) -> QuerySet[AnnualReport]:
    return (
        visible_reports(user)
        .select_related("round", "filed_space")
        .prefetch_related("round__steps")
        .order_by("-round__year", "filed_space__number")
    )


def filed_spaces_for(user) -> QuerySet[FiledSpace]:
    return visible_filed_spaces(user).order_by("-year", "number")


def public_filed_spaces(batch) -> list[FiledSpace]:
    """The filed spaces of a batch's published list, revoked ones included (marked as such)."""
    return list(
        FiledSpace.objects.filter(batch=batch, application__publications__isnull=False)
        .distinct()
        .order_by("number")
    )
