"""Expensive figures are kept for a few minutes, with the time they were computed shown on the page:
at 100,000 applications a batch's dashboard groups every row of the batch. Celery beat refreshes the
role-wide ones in the background (`stats.refresh`, makerspace/stats/tasks.py) before they expire, so
a page finds them ready; without a worker the first request computes them.

The key names the scope of `visible_applications` the figures were counted over (the role, and the
organisation or unit that narrows it), so two users share figures only when they see exactly the
same applications."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from makerspace.accounts.models import Role

from .figures import Dashboard


def scope_key(user) -> str:
    if user is None or not user.is_authenticated:
        return "public"
    role = user.role
    if role == Role.RECOMMENDER:
        unit = user.organisation.recommending_unit_id if user.organisation_id else None
        return f"{role}:{unit}"
    if role in (Role.APPLICANT, Role.SUPERVISOR):
        return f"{role}:{user.organisation_id}"
    return role


def _seconds() -> int:
    return getattr(settings, "STATS_CACHE_SECONDS", 300)


def _key(name: str, user, parts) -> str:
    return ":".join(["stats", name, scope_key(user), *map(str, parts)])


def cached(name: str, user, build: Callable[[], Dashboard], *parts) -> Dashboard:
    if not _seconds():
        return build()
    key = _key(name, user, parts)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = build()
        cache.set(key, dashboard, _seconds())
    return dashboard


def refresh(name: str, user, build: Callable[[], Dashboard], *parts) -> Dashboard:
    """Compute the figures now and keep them, whatever the cache holds (the background refresh)."""
    dashboard = build()
    if _seconds():
        cache.set(_key(name, user, parts), dashboard, _seconds())
    return dashboard
