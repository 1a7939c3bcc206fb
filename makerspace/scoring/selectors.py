"""Reads of expert scoring. Pages cost a fixed number of queries whatever the number of rows."""

from django.db.models import Count, Prefetch, Q, QuerySet

from makerspace.accounts.models import Role, User
from makerspace.applications.models import Application, ApplicationVersion
from makerspace.batches.models import Batch
from makerspace.core.prepared import PreparedIn
from makerspace.permissions import EXPERT_ASSIGNABLE, visible_batches

from .aggregate import summarise
from .models import Assignment, ConflictDeclaration, ExpertProfile


def expert_assignments(user):
    return (
        Assignment.objects.filter(expert=user)
        .select_related("application__space", "application__batch")
        .order_by("submitted_at", "application__batch_id", "application_id")
    )


def assignment_version(assignment: Assignment) -> ApplicationVersion | None:
    """What the expert scores: the version the formal review passed, frozen."""
    application = assignment.application
    return application.versions.filter(number=application.current_version).first()


def peer_totals(assignment: Assignment) -> list:
    """The other experts' totals, shown only once this expert has submitted (never before)."""
    if not assignment.is_submitted:
        return []
    return list(
        Assignment.objects.filter(application_id=assignment.application_id, submitted_at__isnull=False)
        .exclude(pk=assignment.pk)
        .order_by("total")
        .values_list("total", flat=True)
    )


def own_declarations(user):
    return ConflictDeclaration.objects.filter(expert=user).select_related("application__space")


def experts():
    """Every expert with the profile and the number of assignments (open and submitted)."""
    return (
        User.objects.filter(role=Role.EXPERT)
        .select_related("expert_profile")
        .annotate(
            assignment_count=Count("expert_assignments", distinct=True),
            open_count=Count(
                "expert_assignments", filter=Q(expert_assignments__submitted_at__isnull=True), distinct=True
            ),
            declaration_count=Count("conflict_declarations", distinct=True),
        )
        .order_by("pk")
    )


def scoring_batches(user):
    return visible_batches(user, Batch.objects.exclude(status=Batch.Status.DRAFT)).order_by("-year", "-pk")


def batch_scoring_rows(batch: Batch) -> list[Application]:
    """Applications of the batch that are or were scored, each with its assignments and summary."""
    rows = list(
        Application.objects.filter(
            Q(state__in=EXPERT_ASSIGNABLE) | Q(expert_assignments__isnull=False), batch=batch
        )
        .distinct()
        .select_related("space__organisation", "recommending_unit")
        .prefetch_related(
            Prefetch(
                "expert_assignments",
                queryset=Assignment.objects.select_related("expert").order_by("pk"),
                to_attr="assignment_list",
            )
        )
        .order_by("province_rank", "pk")
    )
    for application in rows:
        # The rows share the page's batch: the permission asked per row reads its province.
        application.batch = batch
        application.score = summarise(
            [a.total for a in application.assignment_list if a.is_submitted], len(application.assignment_list)
        )
    return rows


def _totals_in(application_ids: list[int]) -> QuerySet:
    assignments = Assignment.objects.filter(application_id__in=application_ids)
    return assignments.values_list("application_id", "total")


# The ranking page's sections ask for their rows' scores: compiled once (makerspace.core.prepared).
_TOTALS_IN = PreparedIn(_totals_in)


def attach_scores(applications) -> None:
    """The ranking page's hook: each application gets `.score` (a ScoreSummary), in one query."""
    applications = list(applications)
    by_application: dict[int, list] = {a.pk: [] for a in applications}
    for application_id, total in _TOTALS_IN(list(by_application)) if applications else []:
        by_application[application_id].append(total)
    for application in applications:
        totals = by_application[application.pk]
        application.score = summarise([t for t in totals if t is not None], len(totals))


def profile_of(user) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user).first()
