from django.db.models import QuerySet

from makerspace.core.prepared import Prepared

from .models import RecommendingUnit, Role, SupervisorRequest, User

# What a list needs of a user it names (`str(user)`): the rest, the password hash first, stays unread.
USER_NAME_FIELDS = {"id", "username", "full_name"}


def named_user_only(relation: str) -> list[str]:
    """The columns to defer on a joined user row that a page only names (`relation` is the path
    from the listed model, "actor")."""
    return [f"{relation}__{f.name}" for f in User._meta.concrete_fields if f.name not in USER_NAME_FIELDS]


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


def _recommending_unit(unit_id: int) -> QuerySet[RecommendingUnit]:
    return RecommendingUnit.objects.filter(pk=unit_id)


_RECOMMENDING_UNIT = Prepared(_recommending_unit, int)


def recommending_unit(unit_id: int) -> RecommendingUnit:
    """A recommending unit by id, in SQL compiled once (the unit's pages name theirs)."""
    return _RECOMMENDING_UNIT(unit_id)[0]
