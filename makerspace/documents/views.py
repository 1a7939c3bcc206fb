"""Downloads, the document centre, jobs, imports and the public verification page. Every view asks
the permission module; views only authorise, parse and call a service."""

import hashlib
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.accounts.models import RecommendingUnit
from makerspace.applications.models import ApplicationVersion
from makerspace.audit.services import audit_record
from makerspace.batches.models import Batch
from makerspace.core.errors import StateConflict
from makerspace.permissions import get_application_for, require, require_lists_only_visible
from makerspace.security.throttle import limited

from . import dossier, generate, selectors, services
from .content import digest
from .exports import export_filename, write_summary
from .forms import ImportForm, SummaryFilterForm, VerifyCodeForm, VerifyFileForm
from .imports import ImportFileError
from .models import APPLICATION_KINDS, ApplicationImport, DocumentJob, Format, Kind
from .stamp import normalise_code

DOWNLOAD = "documents.download_application_document"


def _send(rendered: services.RenderedDocument) -> FileResponse:
    from io import BytesIO

    response = FileResponse(
        BytesIO(rendered.data),
        as_attachment=True,
        filename=rendered.filename,
        content_type=rendered.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if rendered.issued is not None:
        response["X-Verification-Code"] = rendered.issued.code
    return response


PAGE_REFUSED = "您无权获取该文件。"


def _version_param(request) -> int | None:
    raw = request.GET.get("version") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("没有该版本。")
    return int(raw)


# Application documents ------------------------------------------------------------------------


@login_required
@require_GET
def application_document(request, pk: int, kind: str, fmt: str):
    if kind not in APPLICATION_KINDS or fmt not in Format.values:
        raise Http404("没有该文件。")
    application = get_application_for(request.user, pk, DOWNLOAD)
    try:
        rendered = services.application_document(
            user=request.user,
            application=application,
            kind=kind,
            fmt=fmt,
            version_number=_version_param(request),
        )
    except ApplicationVersion.DoesNotExist:
        raise Http404("没有该版本。") from None
    audit_record(
        action="document.download",
        actor=request.user,
        target=application,
        application=application,
        summary=f"下载 {rendered.filename}",
    )
    return _send(rendered)


def package_key(application, version_number: int | None) -> str:
    version = generate.version_to_render(application, version_number)
    return digest(generate.application_content(application, version))


@login_required
@require_POST
def package_build(request, pk: int):
    application = get_application_for(request.user, pk, DOWNLOAD)
    raw = request.POST.get("version") or ""
    version_number = int(raw) if raw.isdigit() else None
    try:
        key = package_key(application, version_number)
    except ApplicationVersion.DoesNotExist:
        raise Http404("没有该版本。") from None
    job = services.job_request(
        user=request.user,
        kind=DocumentJob.JobKind.PACKAGE,
        input_sha256=key,
        application=application,
        version_number=version_number,
    )
    return redirect("documents:job", job.pk)


# Jobs ----------------------------------------------------------------------------------------


@login_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    return render(request, "documents/job.html", {"title": job.get_kind_display(), "job": job})


@login_required
@require_GET
def job_progress(request, pk: int):
    """htmx partial: polled every second until the job has finished."""
    job = selectors.job_for(request.user, pk)
    return render(request, "documents/_job_progress.html", {"job": job})


@login_required
@require_GET
def job_download(request, pk: int):
    job = selectors.job_for(request.user, pk)
    if job.status != DocumentJob.Status.DONE:
        raise Http404("文件尚未生成。")
    _job_scope_allowed(request.user, job)
    content_type = services.CONTENT_TYPES["zip" if job.filename.endswith(".zip") else Format.PDF]
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _job_scope_allowed(user, job: DocumentJob) -> None:
    """The requester must still be allowed what the job contains (roles and scopes can change)."""
    if job.kind == DocumentJob.JobKind.PACKAGE:
        get_application_for(user, job.application_id, DOWNLOAD)
    elif job.kind == DocumentJob.JobKind.UNIT_DOSSIER:
        require(user, "documents.build_unit_dossier", job.recommending_unit, message=PAGE_REFUSED)
        listed = selectors.unit_dossier_applications(job.recommending_unit, job.batch)
        require_lists_only_visible(user, listed)
    else:
        require(user, "documents.build_batch_dossier", job.batch, message=PAGE_REFUSED)
        require_lists_only_visible(user, selectors.batch_dossier_applications(job.batch))


# Letters and dossiers -------------------------------------------------------------------------


@login_required
@require_GET
def recommendation_letter(request, unit_id: int, batch_id: int, fmt: str):
    unit = get_object_or_404(RecommendingUnit, pk=unit_id)
    batch = get_object_or_404(Batch, pk=batch_id)
    if fmt not in Format.values:
        raise Http404("没有该格式。")
    require(request.user, "documents.view_recommendation_letter", unit, message=PAGE_REFUSED)
    require_lists_only_visible(request.user, selectors.unit_dossier_applications(unit, batch))
    return _send(
        services.letter_document(
            user=request.user,
            kind=Kind.RECOMMENDATION_LETTER,
            fmt=fmt,
            batch=batch,
            recommending_unit=unit,
        )
    )


@login_required
@require_GET
def province_letter(request, batch_id: int, fmt: str):
    batch = get_object_or_404(Batch, pk=batch_id)
    if fmt not in Format.values:
        raise Http404("没有该格式。")
    require(request.user, "documents.view_province_letter", batch, message=PAGE_REFUSED)
    require_lists_only_visible(request.user, selectors.batch_dossier_applications(batch))
    return _send(
        services.letter_document(
            user=request.user,
            kind=Kind.PROVINCE_LETTER,
            fmt=fmt,
            batch=batch,
        )
    )


@login_required
@require_POST
def unit_dossier(request, unit_id: int, batch_id: int):
    unit = get_object_or_404(RecommendingUnit, pk=unit_id)
    batch = get_object_or_404(Batch, pk=batch_id)
    require(request.user, "documents.build_unit_dossier", unit, message=PAGE_REFUSED)
    require_lists_only_visible(request.user, selectors.unit_dossier_applications(unit, batch))
    job = services.job_request(
        user=request.user,
        kind=DocumentJob.JobKind.UNIT_DOSSIER,
        input_sha256=dossier.unit_dossier_key(unit, batch),
        recommending_unit=unit,
        batch=batch,
    )
    return redirect("documents:job", job.pk)


@login_required
@require_POST
def batch_dossier(request, batch_id: int):
    batch = get_object_or_404(Batch, pk=batch_id)
    require(request.user, "documents.build_batch_dossier", batch, message=PAGE_REFUSED)
    require_lists_only_visible(request.user, selectors.batch_dossier_applications(batch))
    try:
        dossier.ensure_province_letter_final(batch)
    except StateConflict as error:
        messages.error(request, str(error))
        return redirect("documents:hub")
    job = services.job_request(
        user=request.user,
        kind=DocumentJob.JobKind.BATCH_DOSSIER,
        input_sha256=dossier.batch_dossier_key(batch),
        batch=batch,
    )
    return redirect("documents:job", job.pk)


# The document centre, 汇总表 -------------------------------------------------------------------


@login_required
@require_GET
def hub(request):
    user = request.user
    can_export = user.has_perm("documents.export_summary")
    if not (can_export or user.has_perm("documents.import_applications")):
        raise PermissionDenied("您的角色没有文件中心。")
    batches = list(selectors.recent_batches(user))
    units = list(selectors.units_for(user))
    return render(
        request,
        "documents/hub.html",
        {
            "title": "文件中心",
            "filter_form": SummaryFilterForm(user=user),
            "can_export": can_export,
            "can_import": user.has_perm("documents.import_applications"),
            "batches": batches,
            "units": units,
            "province_letters": user.has_perm("documents.view_province_letter"),
            "batch_dossiers": user.has_perm("documents.build_batch_dossier"),
            "jobs": selectors.recent_jobs(user),
        },
    )


@login_required
@require_GET
def export_summary(request):
    require(request.user, "documents.export_summary", message=PAGE_REFUSED)
    form = SummaryFilterForm(request.GET or None, user=request.user)
    if not form.is_valid():
        raise Http404("筛选条件无效。")
    filters = form.cleaned_data
    applications = selectors.summary_applications(
        request.user,
        batch=filters.get("batch"),
        recommending_unit=filters.get("recommending_unit"),
        state=filters.get("state") or "",
    )
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it after streaming
    count = write_summary(applications, spool)
    spool.seek(0)
    audit_record(
        action="document.export_summary",
        actor=request.user,
        summary=f"导出汇总表（{count}行）",
        payload={k: str(v) for k, v in filters.items() if v},
    )
    scope = request.user.organisation.name if request.user.organisation_id else request.user.display_role
    return FileResponse(
        spool,
        as_attachment=True,
        filename=export_filename(scope),
        content_type=services.CONTENT_TYPES["xlsx"],
    )


# Imports -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, "documents.import_applications", message=PAGE_REFUSED)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.import_preview(
                user=request.user, batch=form.cleaned_data["batch"], upload=form.cleaned_data["file"]
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("documents:import_preview", pending.pk)
    return render(request, "documents/import_upload.html", {"title": "导入申报", "form": form})


def _import_for(user, pk) -> ApplicationImport:
    require(user, "documents.import_applications", message=PAGE_REFUSED)
    return get_object_or_404(ApplicationImport.objects.select_related("batch"), pk=pk, uploaded_by=user)


@login_required
@require_GET
def import_preview(request, pk: int):
    pending = _import_for(request.user, pk)
    return render(
        request,
        "documents/import_preview.html",
        {"title": "导入预览", "pending": pending, "bad_rows": len({e["row"] for e in pending.errors})},
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    pending = _import_for(request.user, pk)
    try:
        created, skipped = services.import_confirm(user=request.user, pending=pending)
    except StateConflict as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request, f"已创建{created}个草稿申报。" + (f"另有{len(skipped)}行已跳过。" if skipped else "")
        )
        for problem in skipped:
            messages.warning(request, str(problem))
    return redirect("documents:import_preview", pending.pk)


# Public: verification and blank forms ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify_index(request):
    """Type the code printed on a document, or upload the file itself to find it by its hash."""
    code_form = VerifyCodeForm(request.GET or None)
    if request.GET and code_form.is_valid():
        return redirect("documents:verify", normalise_code(code_form.cleaned_data["code"]))
    if request.method == "POST" and limited(request, "verify_upload"):
        return render(request, "security/rate_limited.html", {"title": "操作过于频繁"}, status=429)
    file_form = VerifyFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and file_form.is_valid():
        sha256 = _sha256(file_form.cleaned_data["file"])
        result = {"sha256": sha256, "document": selectors.issued_by_sha256(sha256)}
    return render(
        request,
        "documents/verify_index.html",
        {"title": "文件真伪核验", "code_form": code_form, "file_form": file_form, "result": result},
    )


def _sha256(upload) -> str:
    digest_ = hashlib.sha256()
    for chunk in upload.chunks():
        digest_.update(chunk)
    return digest_.hexdigest()


@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    """Public: which document carries this code, and (with an uploaded copy) is the copy unchanged."""
    normalised = normalise_code(code)
    if normalised != code:
        return redirect("documents:verify", normalised)
    if request.method == "POST" and limited(request, "verify_upload"):
        return render(request, "security/rate_limited.html", {"title": "操作过于频繁"}, status=429)
    document = selectors.issued_by_code(code)
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    check = None
    if document is not None and request.method == "POST" and form.is_valid():
        sha256 = _sha256(form.cleaned_data["file"])
        check = {"sha256": sha256, "matches": sha256 == document.sha256}
    return render(
        request,
        "documents/verify.html",
        {
            "title": "文件真伪核验",
            "code": code,
            "document": document,
            "problems": selectors.issued_status(document) if document is not None else [],
            "form": form,
            "check": check,
        },
        status=200 if document is not None else 404,
    )


BLANK_FORMS = [
    (1, "附件1 专业化众创空间建设工作指引"),
    (2, "附件2 国家专业化众创空间基础信息表"),
    (3, "附件3 国家专业化众创空间备案申报书（编写提纲）"),
    (4, "附件4 申报单位信用承诺书"),
    (5, "附件5 主管部门信用承诺书"),
]


@require_GET
def blank_forms(request):
    return render(request, "documents/blank_forms.html", {"title": "空白表格下载", "forms": BLANK_FORMS})


@require_GET
def blank_form(request, number: int):
    if number not in dict(BLANK_FORMS):
        raise Http404("没有该附件。")
    return _send(services.blank_form(number))
