"""Session rules that apply to every request: idle timeout and compulsory two-factor login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .auth import is_verified, otp_required_for

LAST_SEEN_KEY = "security_last_seen"
# The session is written at most once a minute to note activity, not on every request.
LAST_SEEN_RESOLUTION = 60


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class IdleTimeoutMiddleware:
    """Log out a session that has made no request for SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "您已较长时间未操作，为保护账号安全已自动退出，请重新登录。")
                return redirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                )
            if not isinstance(last, int) or now - last >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("security:otp_setup"),
        reverse("security:otp_verify"),
        reverse("security:otp_qr"),
        reverse("accounts:logout"),
        reverse("set_language"),
        settings.STATIC_URL,
        "/healthz",
    )


class OTPRequiredMiddleware:
    """A reviewing or administrating role sees nothing until its session is TOTP-verified.

    Without a confirmed device it is sent to set one up; with one, to enter the current code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            otp_required_for(user)
            and not is_verified(user)
            and not request.path.startswith(_exempt_prefixes())
        ):
            target = "security:otp_verify" if user_has_device(user) else "security:otp_setup"
            url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "需要完成两步验证。", "verify_url": url}, status=403)
            if request.headers.get("HX-Request"):
                response = JsonResponse({"detail": "需要完成两步验证。"}, status=403)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)
