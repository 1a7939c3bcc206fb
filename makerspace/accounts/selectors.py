from django.db.models import QuerySet

from .models import Role, SupervisorRequest


def supervisor_requests_for(user) -> QuerySet[SupervisorRequest]:
    """The 主管部门 named by applicants that the user answers for: its own unit's, or every one for
    an administrator; pending first."""
    queryset = SupervisorRequest.objects.select_related(
        "recommending_unit", "application__space", "requested_by", "supervisor", "resolved_by"
    )
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.RECOMMENDER and user.organisation_id:
        return queryset.filter(recommending_unit_id=user.organisation.recommending_unit_id)
    return queryset.none()
