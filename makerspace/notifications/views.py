from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from makerspace.permissions import get_notification_for

from . import selectors, services

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"title": "站内通知", "page": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read; with `open`, go on to what it is about."""
    notification = get_notification_for(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link or "notifications:inbox")
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将{count}条通知标为已读。" if count else "没有未读通知。")
    return redirect("notifications:inbox")
