"""The 公示 on the public site (no login) and the province's handling of objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.core.errors import StateConflict
from makerspace.core.files import private_file_response
from makerspace.core.forms import add_validation_error
from makerspace.permissions import require, visible_batches
from makerspace.security.throttle import limited

from . import selectors, services
from .forms import CloseForm, NoticeForm, ObjectionForm
from .models import NoticePeriod, Objection
from .rules import publicity_blockers

PAGE_REFUSED = "您的角色不能使用此页面。"


# 公众 -----------------------------------------------------------------------------------------


@require_GET
def notice_list(request):
    return render(
        request,
        "publicity/notice_list.html",
        {"title": "公示", "notices": selectors.public_notices(), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    notice = get_object_or_404(
        NoticePeriod.objects.select_related("batch").filter(starts_on__lte=timezone.localdate()), pk=pk
    )
    entries = selectors.notice_entries(notice)
    if request.method == "POST" and limited(request, "objection"):
        return render(request, "security/rate_limited.html", {"title": "操作过于频繁"}, status=429)
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_file(
                notice=notice,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                content=data["content"],
                application_id=int(data["application"]) if data["application"] else None,
                upload=data["attachment"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        except StateConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "异议已提交。省科技厅将核查处理，并通过您留下的联系方式反馈。")
            return redirect("publicity:notice_detail", pk)
    return render(
        request,
        "publicity/notice_detail.html",
        {
            "title": notice.title,
            "notice": notice,
            "entries": entries,
            "form": form,
            "open_now": notice.is_open_on(timezone.localdate()),
            "withdrawn_states": selectors.WITHDRAWN_FROM_LIST,
        },
        status=400 if form.errors else 200,
    )


# 省科技厅 -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def province_home(request):
    require(request.user, "publicity.manage_notices", message=PAGE_REFUSED)
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_start(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"已发布公示，公示期至{notice.ends_on:%Y年%m月%d日}。")
            return redirect("publicity:province_notice", notice.pk)
    return render(
        request,
        "publicity/province_home.html",
        {"title": "公示与异议", "notices": selectors.province_notices(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def province_notice(request, pk: int):
    require(request.user, "publicity.manage_notices", message=PAGE_REFUSED)
    notice = get_object_or_404(
        NoticePeriod.objects.filter(batch__in=visible_batches(request.user)).select_related(
            "batch", "created_by"
        ),
        pk=pk,
    )
    objections = list(selectors.notice_objections(notice))
    for objection in objections:
        objection.close_form = CloseForm(auto_id=f"id_{objection.pk}_%s")
    return render(
        request,
        "publicity/province_notice.html",
        {
            "title": notice.title,
            "notice": notice,
            "entries": selectors.notice_entries(notice),
            "objections": objections,
            "blockers": publicity_blockers(notice.batch),
        },
    )


def _objection(request, pk: int) -> Objection:
    require(request.user, "publicity.handle_objection", message=PAGE_REFUSED)
    return get_object_or_404(
        Objection.objects.filter(notice__batch__in=visible_batches(request.user)).select_related("notice"),
        pk=pk,
    )


@login_required
@require_POST
def objection_close(request, pk: int):
    objection = _objection(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.objection_close(user=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        except StateConflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "异议已办结，处理情况已记录。")
    else:
        messages.error(request, "请选择处理结论并填写处理情况。")
    return redirect("publicity:province_notice", objection.notice_id)


@login_required
@require_GET
def objection_file(request, pk: int):
    objection = _objection(request, pk)
    if not objection.attachment:
        raise Http404("该异议没有附件。")
    return private_file_response(
        objection.attachment,
        content_type=objection.attachment_content_type,
        filename=f"异议{objection.pk}-附件",
    )
