from django.db.models import Count, Q
from django.utils import timezone

from makerspace.applications.workflow import State
from makerspace.permissions import visible_batches

from .models import NoticeEntry, NoticePeriod

WITHDRAWN_FROM_LIST = (State.DISQUALIFIED, State.WITHDRAWN)


def public_notices():
    """Notices that have started, newest first (a notice dated ahead is not public yet)."""
    return (
        NoticePeriod.objects.filter(starts_on__lte=timezone.localdate())
        .select_related("batch")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-starts_on", "-pk")
    )


def notice_entries(notice: NoticePeriod) -> list[NoticeEntry]:
    return list(
        notice.entries.select_related(
            "application__space__organisation", "application__recommending_unit", "application__basic_info"
        ).order_by("position", "pk")
    )


def province_notices(user):
    """The notices of the province's own batches."""
    return (
        NoticePeriod.objects.filter(batch__in=visible_batches(user))
        .select_related("batch", "created_by")
        .annotate(
            entry_count=Count("entries", distinct=True),
            objection_count=Count("objections", distinct=True),
            open_count=Count("objections", filter=Q(objections__closed_at__isnull=True), distinct=True),
        )
        .order_by("-starts_on", "-pk")
    )


def notice_objections(notice: NoticePeriod):
    return notice.objections.select_related("application__space", "closed_by").order_by(
        "closed_at", "submitted_at"
    )
