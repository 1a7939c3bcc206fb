from celery import shared_task

from makerspace.accounts.models import Role, User

from . import selectors
from .cache import refresh

# The scopes that one role shares whole (visible_applications narrows them by role only).
ROLE_WIDE = (Role.PROVINCE, Role.ACCEPTANCE, Role.MINISTRY)


@shared_task(name="stats.refresh", acks_late=True, time_limit=300)
def refresh_dashboards() -> int:
    """Celery beat runs this more often than the figures expire (CELERY_BEAT_SCHEDULE): every batch
    page of the province and the acceptance unit, the filed and trend figures of the role-wide
    scopes and the public figures are computed ahead of the request. Returns how many were kept."""
    kept = 0
    for role in ROLE_WIDE:
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if user is None:
            continue
        if user.has_perm("stats.view_batch_dashboard"):
            for batch in selectors.batches_of(user):
                refresh("batch", user, lambda u=user, b=batch: selectors.batch_dashboard(u, b), batch.pk)
                kept += 1
        if user.has_perm("stats.view_filed_dashboard"):
            scope = selectors.filed_scope(user)
            refresh("filed", user, lambda s=scope: selectors.filed_dashboard(s, public=False))
            kept += 1
        refresh("trends", user, lambda u=user: selectors.trends_dashboard(u))
        kept += 1
    refresh("public", None, lambda: selectors.filed_dashboard(selectors.filed_scope(None), public=True))
    return kept + 1
