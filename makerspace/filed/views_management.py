"""Screens of dynamic management: change requests, spot checks and rectification. Views authorise
(permission module), parse and call a service."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from makerspace.permissions import get_filed_space_for, require

from . import management_services as management
from .forms import ChangeDecisionForm, ChangeRequestForm, RectificationForm, SpotCheckForm
from .models import ChangeRequest, Rectification
from .views import _attempt, _attempt_posted


def _space_form_page(request, filed_space, form, action, success: str, template: str, title: str):
    """A filed space's form that a service carries out: back to the space when it went, else the
    form again with what refused it."""
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: action(user=request.user, filed_space=filed_space, **form.cleaned_data),
            success,
            form=form,
        )
    ):
        return redirect("filed:space_detail", filed_space.pk)
    return render(
        request, template, {"title": f"{title} · {filed_space.name}", "space": filed_space, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, pk: int):
    filed_space = get_filed_space_for(request.user, pk, "filed.request_change")
    return _space_form_page(
        request,
        filed_space,
        ChangeRequestForm(request.POST or None),
        management.change_request_create,
        "变更申请已提交推荐单位审核。",
        "filed/change_form.html",
        "变更申请",
    )


@login_required
@require_POST
def change_request_decide(request, pk: int):
    change = get_object_or_404(ChangeRequest.objects.select_related("filed_space"), pk=pk)
    filed_space = get_filed_space_for(request.user, change.filed_space_id)
    require(request.user, "filed.review_change", change, "您不能审核该变更申请。")
    form = ChangeDecisionForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: management.change_request_decide(user=request.user, request=change, **data),
        "已审核。",
        "请选择审核意见。",
    )
    return redirect("filed:space_detail", filed_space.pk)


@login_required
@require_http_methods(["GET", "POST"])
def spot_check_create(request, pk: int):
    filed_space = get_filed_space_for(request.user, pk, "filed.spot_check")
    return _space_form_page(
        request,
        filed_space,
        SpotCheckForm(request.POST or None),
        management.spot_check_record,
        "抽查已登记。",
        "filed/spot_check_form.html",
        "登记抽查",
    )


@login_required
@require_POST
def rectification_complete(request, pk: int):
    rectification = get_object_or_404(Rectification, pk=pk)
    filed_space = get_filed_space_for(request.user, rectification.filed_space_id, "filed.spot_check")
    form = RectificationForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: management.rectification_complete(
            user=request.user, rectification=rectification, note=data["note"]
        ),
        "已确认整改完成。",
        "请填写整改情况。",
    )
    return redirect("filed:space_detail", filed_space.pk)
