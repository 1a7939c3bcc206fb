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


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds MAX_REQUEST_BYTES before anything reads it,
    so an anonymous upload of 100 MB costs a header, not 100 MB of disk (the proxy should refuse
    it even earlier: client_max_body_size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"请求过大：上传的文件不能超过{settings.MAX_UPLOAD_BYTES // 1048576} MB。",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page of a signed-in user, every private download and the
    API: a shared or browser cache must not keep a copy of what only that user may see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if private and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


LOOPBACK = ("127.0.0.1", "::1")


class LoopbackDebugMiddleware:
    """With DEBUG on, only a client on this machine sees Django's debug pages (settings, source,
    SQL). Anyone else gets the ordinary 404 and 500 pages, as in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and self._guarded(request)
        ):
            # No URL matched: Django's debug 404 lists every URL pattern.
            from django.http import Http404
            from django.urls import get_resolver

            return get_resolver().resolve_error_handler(404)(request, Http404())
        return response

    @staticmethod
    def _guarded(request) -> bool:
        return settings.DEBUG and request.META.get("REMOTE_ADDR") not in LOOPBACK

    def process_exception(self, request, exception):
        if not self._guarded(request):
            return None
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.urls import get_resolver

        resolver = get_resolver()
        if isinstance(exception, Http404):
            return resolver.resolve_error_handler(404)(request, exception)
        if isinstance(exception, PermissionDenied):
            return resolver.resolve_error_handler(403)(request, exception)
        return resolver.resolve_error_handler(500)(request)
