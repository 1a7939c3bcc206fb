from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.credit.selectors import check_r8_credit
from makerspace.security.services import password_changed_notify
from makerspace.security.throttle import limited

from .forms import MeteredPasswordChangeForm, MeteredSetPasswordForm, RegistrationForm
from .services import REGISTRATION_HOURS, registration_confirm, registration_for_token, registration_request


def _invalid_link(request, title: str, body: str):
    """A one-time link that is unknown, used or expired: not found, with what to do instead."""
    return render(request, "accounts/message.html", {"title": title, "body": body}, status=404)


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST" and limited(request, "register"):
        return render(request, "security/rate_limited.html", {"title": _("操作过于频繁")}, status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration_request(form=form)
        return render(
            request,
            "accounts/message.html",
            {
                "title": _("请查收确认邮件"),
                "body": _(
                    "我们已向 {email} 发送一封邮件，请按邮件中的说明完成注册（确认链接{hours}小时内有效）。"
                    "未收到邮件的，请检查垃圾邮件箱或稍后重新注册。"
                ).format(email=form.cleaned_data["email"], hours=REGISTRATION_HOURS),
            },
        )
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_confirm(request, token: str):
    """The link of the registration mail: a GET shows what will be created, a POST creates it."""
    from django.core.exceptions import ValidationError

    from .models import RecommendingUnit

    pending = registration_for_token(token)
    if pending is None:
        return _invalid_link(request, _("确认链接无效"), _("该确认链接无效、已使用或已过期，请重新注册。"))
    error = ""
    if request.method == "POST":
        try:
            user = registration_confirm(pending=pending)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            login(request, user, backend="makerspace.accounts.backends.OrganisationModelBackend")
            messages.success(
                request, _("注册成功，欢迎您，{user}。请先创建众创空间，再开始申报。").format(user=user)
            )
            credit = check_r8_credit(user.organisation)
            if not credit.clean:
                messages.warning(request, credit.refusal("registration"))
            return redirect("core:home")
    unit = RecommendingUnit.objects.filter(pk=pending.data["recommending_unit"]).first()
    return render(
        request,
        "accounts/register_confirm.html",
        {"title": _("确认注册"), "pending": pending, "unit": unit, "error": error},
        status=400 if error else 200,
    )


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

    form_class = MeteredPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response


class NotifiedPasswordResetConfirmView(PasswordResetConfirmView):
    form_class = MeteredSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response


# Invitations and 主管部门 named by applicants ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The first user of an imported organisation (or an added 主管部门) sets up its account."""
    from .forms import InvitationForm
    from .services import invitation_accept, invitation_for_token

    found = invitation_for_token(token)
    if found is None:
        return _invalid_link(
            request, _("邀请链接无效"), _("该邀请链接无效、已使用或已过期，请联系邀请单位重新发送。")
        )
    form = InvitationForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            invitation_accept(invitation=found, form=form)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("账号已开通，请登录。"))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": _("开通账号：{organisation}").format(organisation=found.organisation.name),
            "intro": _("贵单位已在系统中登记，请设置第一个账号。登录 Email 为 {email}。").format(
                email=found.email
            ),
        },
    )


def _supervisor_requests_page(request, forms_by_pk=None):
    from makerspace.permissions import require

    from .forms import SupervisorAddForm, SupervisorMatchForm, SupervisorRejectForm
    from .selectors import supervisor_requests_for

    require(request.user, "accounts.view_supervisor_requests")
    rows = []
    for item in supervisor_requests_for(request.user):
        given = (forms_by_pk or {}).get(item.pk, {})
        rows.append(
            {
                "request": item,
                "add": given.get("add")
                or SupervisorAddForm(
                    initial={"name": item.name, "email": item.contact_email}, prefix=f"add{item.pk}"
                ),
                "match": given.get("match")
                or SupervisorMatchForm(unit=item.recommending_unit, prefix=f"match{item.pk}"),
                "reject": given.get("reject") or SupervisorRejectForm(prefix=f"reject{item.pk}"),
            }
        )
    return render(
        request,
        "accounts/supervisor_requests.html",
        {"rows": rows, "title": _("主管部门添加申请")},
        status=400 if forms_by_pk else 200,
    )


@login_required
@require_GET
def supervisor_requests(request):
    return _supervisor_requests_page(request)


@login_required
@require_POST
def supervisor_request_resolve(request, pk: int, action: str):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from makerspace.permissions import require

    from . import services
    from .forms import SupervisorAddForm, SupervisorMatchForm, SupervisorRejectForm
    from .selectors import supervisor_requests_for

    require(request.user, "accounts.view_supervisor_requests")
    item = supervisor_requests_for(request.user).filter(pk=pk).first()
    if item is None or action not in ("add", "match", "reject"):
        raise Http404
    require(request.user, "accounts.resolve_supervisor_request", item)
    if action == "add":
        form = SupervisorAddForm(request.POST, prefix=f"add{pk}")
    elif action == "match":
        form = SupervisorMatchForm(request.POST, unit=item.recommending_unit, prefix=f"match{pk}")
    else:
        form = SupervisorRejectForm(request.POST, prefix=f"reject{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "add":
                services.supervisor_request_add(
                    user=request.user,
                    request=item,
                    name=data["name"],
                    credit_code=data["credit_code"],
                    email=data["email"],
                )
            elif action == "match":
                services.supervisor_request_match(
                    user=request.user, request=item, supervisor=data["supervisor"], note=data["note"]
                )
            else:
                services.supervisor_request_reject(user=request.user, request=item, note=data["note"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("已处理：{name}").format(name=item.name))
            return redirect("accounts:supervisor_requests")
    return _supervisor_requests_page(request, {pk: {action: form}})
