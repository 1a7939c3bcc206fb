from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from makerspace.core.prepared import Prepared
from makerspace.permissions import visible_notifications

from .models import Notification


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = visible_notifications(user).select_related("application")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def _unread(user_id: int) -> QuerySet[Notification]:
    return visible_notifications(get_user_model()(pk=user_id)).filter(read_at__isnull=True)


# The header's badge, on every page: the ORM spent about 850 Python calls building this one COUNT,
# a fifth of a bare page again. Compiled once (makerspace.core.prepared), from the permission
# module's own queryset.
_UNREAD = Prepared(_unread, int)


def unread_count(user) -> int:
    """The rows of `visible_notifications(user)` (the user's own inbox) not yet read
    (notifications/tests/test_inbox.py checks it against the queryset for users of every role)."""
    if not user.is_authenticated:
        return 0
    return _UNREAD.count(user.pk)
