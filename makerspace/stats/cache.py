"""Expensive figures are kept for a few minutes, with the time they were computed shown on the page:
at 100,000 applications a batch's dashboard groups every row of the batch.

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


def cached(name: str, user, build: Callable[[], Dashboard], *parts) -> Dashboard:
    seconds = getattr(settings, "STATS_CACHE_SECONDS", 300)
    if not seconds:
        return build()
    key = ":".join(["stats", name, scope_key(user), *map(str, parts)])
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = build()
        cache.set(key, dashboard, seconds)
    return dashboard
