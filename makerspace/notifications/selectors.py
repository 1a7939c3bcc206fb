from django.db.models import QuerySet

from makerspace.permissions import visible_notifications

from .models import Notification


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = visible_notifications(user).select_related("application")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()
