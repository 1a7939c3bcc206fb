"""Who must use two-factor authentication, and whether the session has re-authenticated lately."""

import time
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

RECENT_AUTH_KEY = "security_recent_auth_at"


def otp_required_for(user) -> bool:
    return bool(user.is_authenticated and user.role in settings.OTP_REQUIRED_ROLES)


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def mark_recent_auth(request) -> None:
    request.session[RECENT_AUTH_KEY] = int(time.time())


def has_recent_auth(request) -> bool:
    """Password given within RECENT_AUTH_SECONDS; and, for a user with a device, TOTP as well."""
    at = request.session.get(RECENT_AUTH_KEY)
    if not isinstance(at, int) or time.time() - at > settings.RECENT_AUTH_SECONDS:
        return False
    return is_verified(request.user) or not user_has_device(request.user)


def recent_auth_required(view):
    """Changing e-mail, password or two-factor settings asks for the password (and TOTP) again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        if not has_recent_auth(request):
            return redirect(f"{reverse('security:reauth')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
