"""Screens of the credit register, R7 disqualification and the review-quality report. Views
authorise (permission module), parse and call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.applications.models import Application
from makerspace.batches.models import Batch
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import private_file_response
from makerspace.core.forms import add_validation_error
from makerspace.core.views import PAGE_REFUSED
from makerspace.permissions import get_application_for, require

from . import exports, selectors, services
from .forms import DisqualifyForm, EndEarlyForm, ImportForm, RecordForm, RegisterFilterForm
from .imports import ImportFileError
from .models import CreditImport, CreditRecord
from .quality import review_quality

PAGE_SIZE = 100


def _filtered(request):
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    records = selectors.register_list(
        query=data.get("q", ""), kind=data.get("kind", ""), status=data.get("status") or "active"
    )
    return form, records


@login_required
@require_GET
def register(request):
    require(request.user, "credit.view_register", message=PAGE_REFUSED)
    form, records = _filtered(request)
    total = records.count()
    return render(
        request,
        "credit/register.html",
        {
            "title": "信用记录",
            "filter_form": form,
            "records": records[:PAGE_SIZE],
            "total": total,
            "page_size": PAGE_SIZE,
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_add(request):
    require(request.user, "credit.add_creditrecord", message=PAGE_REFUSED)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.credit_record_add(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"已登记：{record}。")
            return redirect("credit:record", record.pk)
    return render(
        request,
        "credit/record_form.html",
        {"title": "登记信用记录", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def record(request, pk: int):
    require(request.user, "credit.view_register", message=PAGE_REFUSED)
    item = get_object_or_404(
        CreditRecord.objects.select_related("recorded_by", "ended_early_by", "application__space"), pk=pk
    )
    return render(
        request,
        "credit/record.html",
        {
            "title": str(item),
            "record": item,
            "end_form": EndEarlyForm(initial={"ends_on": timezone.localdate()}),
            "today": timezone.localdate(),
            "disqualification": getattr(item, "disqualification", None)
            if item.origin == item.Origin.DISQUALIFICATION
            else None,
        },
    )


@login_required
@require_POST
def record_end(request, pk: int):
    require(request.user, "credit.end_creditrecord", message=PAGE_REFUSED)
    item = get_object_or_404(CreditRecord, pk=pk)
    form = EndEarlyForm(request.POST)
    if form.is_valid():
        try:
            services.credit_record_end_early(user=request.user, record=item, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        except StateConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "信用记录已提前终止，原记录和终止理由均已保留。")
            return redirect("credit:record", pk)
    return render(
        request,
        "credit/record.html",
        {"title": str(item), "record": item, "end_form": form, "today": timezone.localdate()},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, "credit.import_creditrecords", message=PAGE_REFUSED)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.credit_import_preview(user=request.user, upload=form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("credit:import_preview", pending.pk)
    return render(
        request,
        "credit/import_upload.html",
        {"title": "导入信用记录", "form": form},
        status=400 if form.errors else 200,
    )


def _import_for(request, pk: int) -> CreditImport:
    require(request.user, "credit.import_creditrecords", message=PAGE_REFUSED)
    pending = selectors.visible_imports(request.user).filter(pk=pk).first()
    if pending is None or not request.user.has_perm("credit.view_creditimport", pending):
        raise Http404("没有找到该导入。")
    return pending


@login_required
@require_GET
def import_preview(request, pk: int):
    pending = _import_for(request, pk)
    return render(request, "credit/import_preview.html", {"title": "导入预览", "pending": pending})


@login_required
@require_POST
def import_confirm(request, pk: int):
    pending = _import_for(request, pk)
    try:
        created = services.credit_import_confirm(user=request.user, pending=pending)
    except StateConflict as error:
        messages.error(request, str(error))
        return redirect("credit:import_preview", pk)
    messages.success(request, f"已登记{created}条信用记录。")
    return redirect("credit:register")


@login_required
@require_GET
def export(request, fmt: str):
    require(request.user, "credit.export_register", message=PAGE_REFUSED)
    _, records = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "json":
        response = HttpResponse(exports.export_json(records), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="credit-records-{stamp}.json"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.export_xlsx(records),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="credit-records-{stamp}.xlsx"'
        return response
    raise Http404("不支持的导出格式。")


# R7 -----------------------------------------------------------------------------------------


def _disqualify_application(request, pk: int):
    return get_application_for(
        request.user,
        pk,
        "credit.disqualify_application",
        queryset=Application.objects.select_related("space__organisation", "batch", "recommending_unit"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disqualify(request, pk: int):
    application = _disqualify_application(request, pk)
    form = DisqualifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_disqualify(
                user=request.user,
                application=application,
                evidence=form.cleaned_data["evidence"],
                reason=form.cleaned_data["reason"],
                source_document=form.cleaned_data["source_document"],
                ban_years=form.cleaned_data["ban_years"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_validation_error(form, error)
            else:
                form.add_error("evidence", error)
        except (StateConflict, RuleViolation) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{application.number} 已取消资格，已记入不良科技信用记录并通知申报单位和推荐单位。"
            )
            return redirect("reviews:province_batch", application.batch_id)
    return render(
        request,
        "credit/disqualify.html",
        {
            "title": f"取消资格：{application.space.name}",
            "application": application,
            "form": form,
            "ban_end": services.ban_end(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evidence(request, pk: int):
    """The evidence of a disqualification, for the province."""
    application = get_application_for(request.user, pk, "credit.view_disqualification")
    item = getattr(application, "disqualification", None)
    if item is None:
        raise Http404("该申报没有取消资格的证据材料。")
    return private_file_response(
        item.evidence, content_type=item.evidence_content_type, filename=f"{application.number}-证据材料"
    )


# Review quality ---------------------------------------------------------------------------------


@login_required
@require_GET
def review_quality_report(request):
    require(request.user, "credit.view_review_quality", message=PAGE_REFUSED)
    batches = Batch.objects.exclude(status=Batch.Status.DRAFT).order_by("-year", "-pk")
    batch = None
    batch_id = request.GET.get("batch", "")
    if batch_id.isdigit():
        batch = get_object_or_404(Batch, pk=batch_id)
    return render(
        request,
        "credit/review_quality.html",
        {"title": "审核质量", "rows": review_quality(batch), "batches": batches, "batch": batch},
    )
