"""Rate limits on the public and account forms, counted in the shared cache by django-ratelimit.

Each limit is a setting (`RATE_LIMITS`), so an operator can tighten one without a release, and the
client address is the one login throttling counts (`client_ip`, docs/security.md)."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

LIMITED_MESSAGE = "操作过于频繁，请稍后再试。"


def client_ip(request) -> str:
    """The client's address as django-axes reads it (django-ipware with TRUSTED_PROXY_COUNT), so
    lockout and rate limits count the same client behind the proxies."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def limited(request, group: str, *, key: str = "ip", value: str | None = None) -> bool:
    """Count one attempt of `group` for this client (or for `value`, e.g. an e-mail address) and
    say whether the limit is passed. `value` counts across addresses: one target, many sources."""
    rate = settings.RATE_LIMITS[group]
    if value is not None:
        return is_ratelimited(
            request, group=f"{group}:value", key=lambda _g, _r: value.lower(), rate=rate, increment=True
        )
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
