"""Two-factor set-up and verification, re-authentication, and account changes that need it."""

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .auth import has_recent_auth, is_verified, mark_recent_auth, otp_required_for, recent_auth_required
from .forms import DeviceConfirmForm, EmailChangeForm, ReauthForm, TokenForm

# The device a session is setting up: its secret is shown to that session only.
PENDING_DEVICE_KEY = "security_otp_pending"


def _next_url(request, default: str = "core:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _may_enrol_without_reauth(request) -> bool:
    """Forced first enrolment: a required role whose session is not verified can only have come
    from a password login moments ago (the middleware lets it reach nothing else)."""
    user = request.user
    return otp_required_for(user) and not user_has_device(user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    if not _may_enrol_without_reauth(request) and not has_recent_auth(request):
        return redirect(f"{reverse('security:reauth')}?next={reverse('security:otp_setup')}")
    pending_id = request.session.get(PENDING_DEVICE_KEY)
    device = services.totp_device_pending(user=request.user, device_id=pending_id)
    request.session[PENDING_DEVICE_KEY] = device.pk
    form = DeviceConfirmForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.totp_device_confirm(user=request.user, device=device)
        request.session.pop(PENDING_DEVICE_KEY, None)
        otp_login(request, device)
        mark_recent_auth(request)
        messages.success(request, "两步验证已启用。以后登录时除密码外还需输入身份验证器中的验证码。")
        return redirect(_next_url(request))
    return render(
        request,
        "security/otp_setup.html",
        {
            "title": "设置两步验证",
            "form": form,
            "secret": b32encode(device.bin_key).decode(),
            "required": otp_required_for(request.user),
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
@login_required
@require_GET
def otp_qr(request):
    """The otpauth:// URI of the device being set up, as an SVG QR code (no script needed)."""
    device_id = request.session.get(PENDING_DEVICE_KEY)
    device = (
        TOTPDevice.objects.filter(user=request.user, confirmed=False, pk=device_id).first()
        if isinstance(device_id, int)
        else None
    )
    if device is None:
        raise Http404("没有正在设置的验证器。")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if is_verified(request.user):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("security:otp_setup")
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return render(
        request,
        "security/otp_verify.html",
        {"title": "两步验证", "form": form, "next": request.GET.get("next", "")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request):
    form = ReauthForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        if form.device is not None:
            otp_login(request, form.device)
        mark_recent_auth(request)
        return redirect(_next_url(request, "security:two_factor"))
    return render(
        request,
        "security/reauth.html",
        {"title": "确认身份", "form": form, "next": request.GET.get("next", "")},
    )


@never_cache
@login_required
@require_GET
def two_factor(request):
    return render(
        request,
        "security/two_factor.html",
        {
            "title": "账号安全",
            "enabled": user_has_device(request.user),
            "required": otp_required_for(request.user),
        },
    )


@login_required
@require_POST
@recent_auth_required
def otp_disable(request):
    services.totp_devices_remove(user=request.user)
    if otp_required_for(request.user):
        messages.warning(request, "您的角色必须使用两步验证，请重新设置验证器。")
        return redirect("security:otp_setup")
    messages.success(request, "两步验证已停用。")
    return redirect("security:two_factor")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@recent_auth_required
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_change_request(user=request.user, email=form.cleaned_data["email"])
        messages.success(
            request, "确认邮件已发送到新的 Email，请在24小时内打开其中的链接；确认前仍使用原 Email。"
        )
        return redirect("security:two_factor")
    return render(request, "security/form_page.html", {"title": "修改 Email", "form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request, token: str):
    """Opening the link shows a button; only the POST changes the address (no GET writes)."""
    from django.core.exceptions import ValidationError

    if request.method == "POST":
        try:
            email = services.email_change_confirm(user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Email 已修改为 {email}。")
        return redirect("security:two_factor")
    return render(request, "security/email_confirm.html", {"title": "确认新的 Email"})


def lockout(request, original_response=None, credentials=None):
    """django-axes calls this when a username and address pair is locked out (HTTP 429)."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    return render(
        request,
        "security/lockout.html",
        {
            "title": "登录已暂时锁定",
            "username": get_client_username(request, credentials) or "",
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
        },
        status=429,
    )


@never_cache
@require_POST
def password_check(request):
    """The meter beside a new password: the same validators the form will run, with the details
    the form holds (login name, e-mail, name) so "too like your e-mail" is said here too. The
    password is only checked, never stored or logged."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from makerspace.accounts.models import User
    from makerspace.permissions import require

    from .throttle import limited

    require(request.user, "security.check_password")
    if limited(request, "password_check"):
        return HttpResponse(status=429)
    password = request.POST.get("password", "")
    problems = []
    if password:
        user = request.user if request.user.is_authenticated else None
        if user is None:
            user = User(
                username=request.POST.get("username", "")[:150],
                email=request.POST.get("email", "")[:254],
                full_name=request.POST.get("full_name", "")[:50],
            )
        try:
            validate_password(password, user)
        except ValidationError as refused:
            problems = refused.messages
    return render(request, "security/_password_meter.html", {"checked": bool(password), "problems": problems})
