"""History pages: the audit chain read back, for those the permission module lets see it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from makerspace.applications.selectors import application_for_page_queryset
from makerspace.permissions import get_application_for

from . import selectors
from .services import audit_verify

PAGE_SIZE = 100


@login_required
@require_GET
def application_history(request, pk: int):
    application = get_application_for(
        request.user, pk, "applications.view_history", application_for_page_queryset()
    )
    page = Paginator(selectors.application_history(application), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/application_history.html",
        {
            "title": f"{application.space.name} · 操作记录",
            "application": application,
            "page": page,
            "rows": selectors.history_rows(page, viewer=request.user),
        },
    )


@login_required
@require_GET
def chain_status(request):
    """The chain's head and latest events; the full walk (`verify_audit`) runs when asked for."""
    if not request.user.has_perm("audit.view_chain"):
        raise PermissionDenied("仅省科技厅和系统管理员可以查看审计日志校验状态。")
    verified = None
    if request.GET.get("verify") == "1":
        checked, problem = audit_verify()
        verified = {"checked": checked, "problem": problem}
    return render(
        request,
        "audit/chain.html",
        {
            "title": "审计日志校验",
            "head": selectors.chain_head(),
            "verified": verified,
            "rows": selectors.history_rows(selectors.recent_events(), viewer=request.user),
        },
    )
