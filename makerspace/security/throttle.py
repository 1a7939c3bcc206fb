"""Rate limits on the public and account forms, counted in the shared cache by django-ratelimit.

Each limit is a setting (`RATE_LIMITS`), so an operator can tighten one without a release, and the
client address is REMOTE_ADDR as for login throttling (docs/security.md)."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

LIMITED_MESSAGE = "操作过于频繁，请稍后再试。"


def limited(request, group: str, *, key: str = "ip", value: str | None = None) -> bool:
    """Count one attempt of `group` for this client (or for `value`, e.g. an e-mail address) and
    say whether the limit is passed. `value` counts across addresses: one target, many sources."""
    rate = settings.RATE_LIMITS[group]
    if value is not None:
        return is_ratelimited(
            request, group=f"{group}:value", key=lambda _g, _r: value.lower(), rate=rate, increment=True
        )
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
