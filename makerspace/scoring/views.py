"""Screens of expert scoring: the expert's assignments and sheets, the province's experts,
assignments and weights. Views authorise (permission module), parse and call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.applications.models import Application, BasicInfo, Report
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.forms import add_validation_error
from makerspace.core.views import PAGE_REFUSED
from makerspace.permissions import get_assignment_for, get_batch_for, require

from . import selectors, services, sheet
from .forms import AssignForm, DeclarationForm, InviteForm, ProfileForm, ScoreForm, WeightsForm
from .models import Assignment

# 专家 -----------------------------------------------------------------------------------------


@login_required
@require_GET
def expert_home(request):
    require(request.user, "scoring.view_assignments", message=PAGE_REFUSED)
    return render(
        request,
        "scoring/expert_home.html",
        {
            "title": "评审任务",
            "assignments": selectors.expert_assignments(request.user),
            "profile": selectors.profile_of(request.user),
        },
    )


def _profile_page(request, profile_form=None, declaration_form=None, status=200):
    assignments = list(selectors.expert_assignments(request.user).filter(submitted_at__isnull=True))
    profile = selectors.profile_of(request.user)
    initial = (
        {
            "organisation_name": profile.organisation_name,
            "city": profile.city,
            "specialty": profile.specialty,
            "title": profile.title,
        }
        if profile
        else {}
    )
    return render(
        request,
        "scoring/profile.html",
        {
            "title": "本人信息与回避声明",
            "profile_form": profile_form or ProfileForm(initial=initial),
            "declaration_form": declaration_form
            or DeclarationForm(applications=[a.application for a in assignments]),
            "declarations": selectors.own_declarations(request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_profile(request):
    require(request.user, "scoring.view_assignments", message=PAGE_REFUSED)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.expert_profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, "本人信息已保存；与之存在利益冲突的未评分任务已撤回。")
            return redirect("scoring:expert_profile")
        return _profile_page(request, profile_form=form, status=400)
    return _profile_page(request)


@login_required
@require_POST
def conflict_declare(request):
    require(request.user, "scoring.view_assignments", message=PAGE_REFUSED)
    assignments = list(selectors.expert_assignments(request.user).filter(submitted_at__isnull=True))
    applications = {a.application_id: a.application for a in assignments}
    form = DeclarationForm(request.POST, applications=applications.values())
    if form.is_valid():
        chosen = form.cleaned_data["application"]
        try:
            services.conflict_declare(
                user=request.user,
                reason=form.cleaned_data["reason"],
                application=applications.get(int(chosen)) if chosen else None,
                organisation_name=form.cleaned_data["organisation_name"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "回避声明已记录；相关的未评分任务已撤回。")
            return redirect("scoring:expert_profile")
    return _profile_page(request, declaration_form=form, status=400)


def _version_sections(version) -> list[tuple[str, list[tuple[str, object]]]]:
    """The frozen version's data under the forms' own labels."""
    if version is None:
        return []
    data = version.data
    labels = {f.name: str(f.verbose_name) for f in BasicInfo._meta.concrete_fields}
    basic = [(labels.get(k, k), v) for k, v in data.get("basic_info", {}).items() if v not in (None, "")]
    report_labels = {f.name: str(f.verbose_name) for f in Report._meta.concrete_fields}
    report = [(report_labels.get(k, k), v) for k, v in data.get("report", {}).items() if v]
    cases = [
        (c.get("title", ""), f"{c.get('enterprise_name', '')}：{c.get('results', '')}")
        for c in data.get("success_cases", [])
    ]
    attachments = [(a.get("title", ""), a.get("original_name", "")) for a in data.get("attachments", [])]
    return [
        ("附件2 基础信息表", basic),
        ("附件3 申报书", report),
        ("成功案例", cases),
        ("附件材料", attachments),
    ]


def _sheet_page(request, assignment, form=None, status=200):
    version = selectors.assignment_version(assignment)
    return render(
        request,
        "scoring/sheet.html",
        {
            "title": f"评分：{assignment.application.space.name}",
            "assignment": assignment,
            "sections": _version_sections(version),
            "files": version.data.get("attachments", []) if version else [],
            "form": form or ScoreForm(scores=assignment.scores, comment=assignment.comment),
            "weights": services.weights_for(assignment.application.batch),
            "peer_totals": selectors.peer_totals(assignment),
            "item_count": len(sheet.ITEMS),
        },
        status=status,
    )


def _assignment(request, pk):
    return get_assignment_for(
        request.user,
        pk,
        queryset=Assignment.objects.select_related("application__space", "application__batch", "expert"),
    )


@login_required
@require_GET
def assignment_file(request, pk: int, attachment_id: int):
    """An expert reads a file of the version it scores; the open is recorded like a reviewer's."""
    from makerspace.applications.models import Attachment
    from makerspace.core.files import private_file_response
    from makerspace.reviews.services import document_open_record

    item = _assignment(request, pk)
    version = selectors.assignment_version(item)
    listed = {entry["id"] for entry in (version.data.get("attachments", []) if version else [])}
    if attachment_id not in listed:
        raise Http404("该材料不属于评审的版本。")
    attachment = get_object_or_404(Attachment, pk=attachment_id, application_id=item.application_id)
    document_open_record(
        user=request.user,
        application=item.application,
        key=f"attachment:{attachment.pk}",
        title=f"{attachment.get_kind_display()}：{attachment.title}",
    )
    return private_file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=f"{item.application.number}-{attachment.title}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment(request, pk: int):
    item = _assignment(request, pk)
    if request.method == "POST":
        form = ScoreForm(request.POST)
        if form.is_valid():
            try:
                services.scores_save(
                    user=request.user,
                    assignment=item,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            except StateConflict as error:
                messages.error(request, str(error))
                return redirect("scoring:assignment", pk)
            else:
                messages.success(request, "评分已保存。全部评分并填写意见后可提交。")
                return redirect("scoring:assignment", pk)
        return _sheet_page(request, item, form=form, status=400)
    return _sheet_page(request, item)


@login_required
@require_POST
def assignment_submit(request, pk: int):
    item = _assignment(request, pk)
    try:
        services.scores_submit(user=request.user, assignment=item)
    except (ValidationError, StateConflict) as error:
        messages.error(
            request, "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, f"评分已提交，加权总分{item.total}。")
    return redirect("scoring:assignment", pk)


# 省科技厅 -------------------------------------------------------------------------------------


@login_required
@require_GET
def province_home(request):
    require(request.user, "scoring.manage_scoring", message=PAGE_REFUSED)
    return render(
        request,
        "scoring/province_home.html",
        {
            "title": "专家评审",
            "batches": selectors.scoring_batches(request.user),
            "experts": selectors.experts(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_invite(request):
    require(request.user, "scoring.manage_experts", message=PAGE_REFUSED)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_invite(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"已邀请评审专家 {expert}，设置密码的链接已发送至 {expert.email}。")
            return redirect("scoring:province_home")
    return render(
        request,
        "scoring/invite.html",
        {"title": "邀请评审专家", "form": form},
        status=400 if form.errors else 200,
    )


def _province_batch_page(request, batch, weights_form=None, status=200):
    weights = services.weights_for(batch)
    return render(
        request,
        "scoring/province_batch.html",
        {
            "title": f"{batch.title} · 专家评审",
            "batch": batch,
            "rows": selectors.batch_scoring_rows(batch),
            "experts": list(selectors.experts()),
            "weights": weights,
            "weights_form": weights_form or WeightsForm(instance=weights),
            "per_application": services.EXPERTS_PER_APPLICATION,
        },
        status=status,
    )


@login_required
@require_GET
def province_batch(request, batch_id: int):
    require(request.user, "scoring.manage_scoring", message=PAGE_REFUSED)
    return _province_batch_page(request, get_batch_for(request.user, batch_id))


@login_required
@require_POST
def weights(request, batch_id: int):
    require(request.user, "scoring.manage_scoring", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    form = WeightsForm(request.POST, instance=services.weights_for(batch))
    if form.is_valid():
        try:
            services.weights_set(user=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        except StateConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "评分权重已保存。")
            return redirect("scoring:province_batch", batch_id)
    return _province_batch_page(request, batch, weights_form=form, status=400)


@login_required
@require_POST
def auto_assign(request, batch_id: int):
    require(request.user, "scoring.manage_scoring", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    made, short = services.auto_assign(user=request.user, batch=batch)
    messages.success(request, f"已自动分配{made}个评审任务（按负载均衡，已避开利益冲突）。")
    for line in short:
        messages.warning(request, line)
    return redirect("scoring:province_batch", batch_id)


@login_required
@require_POST
def assign(request, batch_id: int):
    require(request.user, "scoring.manage_scoring", message=PAGE_REFUSED)
    batch = get_batch_for(request.user, batch_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择专家。")
        return redirect("scoring:province_batch", batch_id)
    application = get_object_or_404(Application, pk=form.cleaned_data["application"], batch=batch)
    try:
        services.assignment_create(
            user=request.user, application=application, expert=form.cleaned_data["expert"]
        )
    except RuleViolation as error:
        messages.error(request, f"（{error.rule}）{error.message}")
    except (ValidationError, StateConflict) as error:
        messages.error(
            request, "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, f"已为{application.number}指定专家 {form.cleaned_data['expert']}。")
    return redirect("scoring:province_batch", batch_id)


@login_required
@require_POST
def assignment_remove(request, pk: int):
    item = get_assignment_for(request.user, pk, "scoring.manage_scoring")
    batch_id = item.application.batch_id
    try:
        services.assignment_remove(user=request.user, assignment=item)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已撤销该评审任务。")
    return redirect("scoring:province_batch", batch_id)
