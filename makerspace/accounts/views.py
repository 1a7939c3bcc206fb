from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from makerspace.credit.selectors import check_r8_credit
from makerspace.security.services import password_changed_notify
from makerspace.security.throttle import limited

from .forms import RegistrationForm
from .services import organisation_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST" and limited(request, "register"):
        return render(request, "security/rate_limited.html", {"title": _("操作过于频繁")}, status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = organisation_register(form=form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("注册成功，欢迎您，{user}。请先创建众创空间，再开始申报。").format(user=user)
        )
        credit = check_r8_credit(user.organisation)
        if not credit.clean:
            messages.warning(request, credit.refusal("registration"))
        return redirect("core:home")
    return render(request, "accounts/register.html", {"form": form})


class RateLimitedPasswordResetView(PasswordResetView):
    """Reset mails are limited per address and per e-mail: a flood neither fills an inbox nor
    tells, by timing or count, which addresses are registered (the answer page is the same)."""

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "")[:254]
        if limited(request, "password_reset") or (
            email and limited(request, "password_reset_email", value=email)
        ):
            return render(request, "security/rate_limited.html", {"title": _("操作过于频繁")}, status=429)
        return super().post(request, *args, **kwargs)


class NotifiedPasswordChangeView(PasswordChangeView):
    """The account's address is told of every password change (ASVS 2.5.5)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response


class NotifiedPasswordResetConfirmView(PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response
