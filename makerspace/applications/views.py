"""The applicant's screens. Views authorise (permission module), parse, and call a service."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from makerspace.batches.deadlines import effective_deadline
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.files import private_file_response
from makerspace.core.templatetags.rows import ROW_PLACEHOLDER
from makerspace.permissions import get_application_for, get_space_for

from . import selectors, services
from .forms import (
    BASIC_SECTIONS,
    ApplicationSettingsForm,
    ApplicationStartForm,
    AttachmentForm,
    BasicInfoSectionForm,
    CommitmentForm,
    ReasonForm,
    ReportForm,
    SpaceForm,
    SuccessCaseForm,
)
from .models import ApplicationVersion, Attachment
from .requirements import MAX_CASES, readiness

CHANGE = "applications.change_application"


def _require_applicant(user) -> None:
    if not user.has_perm("applications.create_application"):
        raise PermissionDenied(_("仅申报单位可以使用此功能。"))


def _page(request, application, template: str, **context):
    context.setdefault("title", application.space.name)
    return render(request, template, {"application": application, "tabs": _tabs(application), **context})


# The tabs of an editable and of a read-only application, per URL configuration, script prefix
# and language, with a placeholder for the application's id: everything a tab shows but the id is
# fixed per process (BASIC_SECTIONS is a constant), so each page only puts its id in.
_TAB_PATTERNS: dict[tuple, list[tuple[str, str, str]]] = {}


def _tabs(application) -> list[tuple[str, str, str]]:
    key = (
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
        application.is_editable,
    )
    pattern = _TAB_PATTERNS.get(key)
    if pattern is None:
        pattern = _TAB_PATTERNS[key] = _tab_list(ROW_PLACEHOLDER, editable=application.is_editable)
    placeholder, pk = str(ROW_PLACEHOLDER), str(int(application.pk))
    return [(name, label, url.replace(placeholder, pk, 1)) for name, label, url in pattern]


def _tab_list(pk: int, *, editable: bool) -> list[tuple[str, str, str]]:
    tabs = [("overview", _("概况"), reverse("applications:detail", args=[pk]))]
    if editable:
        tabs.append(("settings", _("申报设置"), reverse("applications:settings", args=[pk])))
        for key, (label, _fields) in BASIC_SECTIONS.items():
            tabs.append(
                (
                    f"basic-{key}",
                    _("附件2·{section}").format(section=label),
                    reverse("applications:basic", args=[pk, key]),
                )
            )
        tabs += [
            ("report", _("附件3·申报书"), reverse("applications:report", args=[pk])),
            ("cases", _("附件3·成功案例"), reverse("applications:cases", args=[pk])),
            ("files", _("证明材料"), reverse("applications:files", args=[pk])),
            ("commitment", _("附件4·信用承诺"), reverse("applications:commitment", args=[pk])),
        ]
    return tabs


# Spaces ---------------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request):
    _require_applicant(request.user)
    return render(
        request,
        "applications/list.html",
        {
            "title": _("我的申报"),
            "applications": selectors.applications_of_applicant(request.user),
            "spaces": selectors.spaces_of_applicant(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_create(request):
    _require_applicant(request.user)
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建“{name}”，现在可以开始申报。").format(name=space.name))
            return redirect("applications:start")
    return render(request, "applications/space_form.html", {"form": form, "title": _("新建众创空间")})


@login_required
@require_http_methods(["GET", "POST"])
def space_edit(request, space_id: int):
    space = get_space_for(request.user, space_id)
    form = SpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.space_rename(user=request.user, space=space, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("名称已保存。"))
            return redirect("applications:list")
    return render(request, "applications/space_form.html", {"form": form, "title": _("修改众创空间名称")})


# Application ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request):
    _require_applicant(request.user)
    form = ApplicationStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(user=request.user, **form.cleaned_data)
        except (ValidationError, RuleViolation) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else error.message)
        else:
            messages.success(
                request, _("已创建申报 {number}，请逐项填写。").format(number=application.number)
            )
            return redirect("applications:detail", application.pk)
    return render(request, "applications/start.html", {"form": form, "title": _("开始申报")})


@login_required
@require_GET
def application_detail(request, pk: int):
    application = get_application_for(request.user, pk, queryset=selectors.detail_query())
    can_change = request.user.has_perm(CHANGE, application)
    files = selectors.attachments_of(application)
    unmet = readiness(application, files) if can_change else []
    deadline = effective_deadline(
        application.batch, DeadlineLevel.APPLICANT, application.recommending_unit_id
    )
    events = selectors.application_events(application)
    return _page(
        request,
        application,
        "applications/detail.html",
        can_change=can_change,
        can_withdraw=request.user.has_perm("applications.withdraw", application)
        and can_proceed(application.withdraw),  # only withdraw's conditions, not every transition's
        unmet=unmet,
        deadline=deadline,
        deadline_passed=timezone.now() > deadline,
        attachments=selectors.current_attachments(application, files),
        versions=selectors.application_versions(application),
        events=events,
        returned=selectors.pending_return(application, events),
        active_tab="overview",
    )


def _page_or_write_query(request, *shown: str):
    """A page's GET reads what its header shows (and `shown`); its POST mostly saves and redirects."""
    if request.method == "POST":
        return selectors.write_query()
    return selectors.page_query(*shown)


def _for_page(request, application):
    """A POST read the application for its write only: refused with its form's errors, it renders
    the page, whose header is read in one query rather than one per relation."""
    if request.method == "POST":
        return selectors.application_for_page_queryset().get(pk=application.pk)
    return application


def _with_row_version(form, application):
    """Optimistic locking: the form carries the row version of the application it was shown with."""
    # A plain Field: the value is only compared, never stored, so it needs no validation of its
    # own (errors of a hidden field would have nowhere to be shown).
    form.fields["row_version"] = forms.Field(
        widget=forms.HiddenInput, required=False, initial=application.row_version
    )
    if form.is_bound and "row_version" not in form.data:
        form.data = form.data.copy()
        form.data["row_version"] = str(application.row_version)
    return form


def _expected_row_version(form) -> int | None:
    """The version the form was shown with; None when absent, -1 (always stale) when tampered."""
    raw = str(form.data.get("row_version") or "").strip()
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else -1


def _refresh_row_version(form, application) -> None:
    """After a conflict was shown, a second save is made knowingly against the current version."""
    application.refresh_from_db(fields=["row_version"])
    form.data = form.data.copy()
    form.data["row_version"] = str(application.row_version)


def _section_view(
    request, application, *, section: str, form_class, instance, template: str, active_tab: str, **extra
):
    """GET shows the saved data, or what was typed but not yet valid; POST saves or keeps it."""
    draft = None
    if request.method == "POST":
        form = _with_row_version(form_class(request.POST, instance=instance, **extra), application)
        if form.is_valid():
            try:
                services.section_save(
                    user=request.user,
                    application=application,
                    section=section,
                    form=form,
                    expected_row_version=_expected_row_version(form),
                )
            except StateConflict as conflict:
                form.add_error(None, str(conflict))
                _refresh_row_version(form, application)
            else:
                messages.success(request, _("已保存。"))
                return redirect(request.path)
        services.section_draft_keep(application=application, section=section, data=_plain_post(request.POST))
    else:
        draft = selectors.section_draft(application, section)
        form = _with_row_version(
            form_class(draft.data, instance=instance, **extra)
            if draft
            else form_class(instance=instance, **extra),
            application,
        )
        if draft:
            form.is_valid()
    return _page(
        request,
        application,
        template,
        form=form,
        section=section,
        restored=draft is not None,
        saved_at=instance.updated_at,
        active_tab=active_tab,
    )


def _plain_post(post) -> dict:
    # NUL characters cannot be stored in a PostgreSQL JSON value; the form refuses them anyway.
    values = {
        key: post.getlist(key) if len(post.getlist(key)) > 1 else post.get(key)
        for key in post
        if key not in ("csrfmiddlewaretoken", "row_version")
    }
    return {
        key.replace("\x00", ""): [v.replace("\x00", "") for v in value]
        if isinstance(value, list)
        else value.replace("\x00", "")
        for key, value in values.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_settings(request, pk: int):
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query())
    return _section_view(
        request,
        application,
        section="settings",
        form_class=ApplicationSettingsForm,
        instance=application,
        template="applications/section.html",
        active_tab="settings",
    )


@login_required
@require_http_methods(["GET", "POST"])
def basic_section(request, pk: int, section: str):
    if section not in BASIC_SECTIONS:
        raise Http404(_("没有该部分。"))
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query("basic_info"))
    return _section_view(
        request,
        application,
        section=f"basic:{section}",
        form_class=BasicInfoSectionForm,
        instance=application.basic_info,
        template="applications/section.html",
        active_tab=f"basic-{section}",
        section_name=section,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query("report"))
    return _section_view(
        request,
        application,
        section="report",
        form_class=ReportForm,
        instance=application.report,
        template="applications/section.html",
        active_tab="report",
    )


AUTOSAVE_FORMS = {"report": (ReportForm, "report"), "settings": (ApplicationSettingsForm, None)}


def _autosaved_record(section: str) -> list[str]:
    """The record a section's form edits, read with the application (the settings edit it)."""
    if section.startswith("basic:"):
        return ["basic_info"]
    _form_class, attr = AUTOSAVE_FORMS.get(section, (None, None))
    return [attr] if attr else []


@login_required
@require_POST
def autosave(request, pk: int, section: str):
    """htmx: save a section while the applicant types; what does not validate yet is kept aside."""
    application = get_application_for(
        request.user, pk, CHANGE, selectors.write_query(*_autosaved_record(section))
    )
    if section.startswith("basic:") and section[6:] in BASIC_SECTIONS:
        form = BasicInfoSectionForm(request.POST, instance=application.basic_info, section_name=section[6:])
    elif section in AUTOSAVE_FORMS:
        form_class, attr = AUTOSAVE_FORMS[section]
        form = form_class(request.POST, instance=getattr(application, attr) if attr else application)
    else:
        raise Http404(_("没有该部分。"))
    now = timezone.localtime().strftime("%H:%M:%S")
    form = _with_row_version(form, application)
    if form.is_valid():
        try:
            services.section_save(
                user=request.user,
                application=application,
                section=section,
                form=form,
                expected_row_version=_expected_row_version(form),
            )
        except StateConflict as conflict:
            services.section_draft_keep(
                application=application, section=section, data=_plain_post(request.POST)
            )
            return HttpResponse(_("未自动保存：{reason}").format(reason=conflict))
        # The page's hidden row version follows the save (htmx out-of-band swap).
        return HttpResponse(
            format_html(
                '{}<input type="hidden" name="row_version" id="id_row_version" value="{}"'
                ' hx-swap-oob="true">',
                _("已自动保存（{time}）").format(time=now),
                application.row_version,
            )
        )
    services.section_draft_keep(application=application, section=section, data=_plain_post(request.POST))
    count = sum(len(errors) for errors in form.errors.values())
    return HttpResponse(
        _("已暂存输入（{time}），有{count}处需要修改，保存时将逐项提示。").format(time=now, count=count)
    )


# Success cases ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cases(request, pk: int, case_id: int | None = None):
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query())
    instance = get_object_or_404(application.success_cases, pk=case_id) if case_id else None
    form = _with_row_version(SuccessCaseForm(request.POST or None, instance=instance), application)
    existing = list(application.success_cases.all())
    if request.method == "POST":
        if instance is None and len(existing) >= MAX_CASES:
            form.add_error(None, _("成功案例最多{count}个。").format(count=MAX_CASES))
        elif form.is_valid():
            try:
                services.case_save(
                    user=request.user,
                    application=application,
                    form=form,
                    expected_row_version=_expected_row_version(form),
                )
            except StateConflict as conflict:
                form.add_error(None, str(conflict))
                _refresh_row_version(form, application)
            else:
                messages.success(request, _("成功案例已保存。"))
                return redirect("applications:cases", application.pk)
    return _page(
        request,
        application,
        "applications/cases.html",
        form=form,
        cases=existing,
        editing=instance,
        max_cases=MAX_CASES,
        active_tab="cases",
    )


@login_required
@require_POST
def case_delete(request, pk: int, case_id: int):
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query())
    case = get_object_or_404(application.success_cases, pk=case_id)
    services.case_delete(user=request.user, application=application, case=case)
    messages.success(request, _("成功案例已删除。"))
    return redirect("applications:cases", application.pk)


# Files ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def files(request, pk: int):
    application = get_application_for(request.user, pk, CHANGE, _page_or_write_query(request))
    form = AttachmentForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add_by_applicant(
                user=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("文件已上传。"))
            return redirect(request.get_full_path())
    return _page(
        request,
        _for_page(request, application),
        "applications/files.html",
        form=form,
        attachments=selectors.current_attachments(application),
        active_tab="files",
    )


@login_required
@require_POST
def file_remove(request, pk: int, attachment_id: int):
    application = get_application_for(request.user, pk, CHANGE, selectors.page_query())
    attachment = get_object_or_404(application.attachments, pk=attachment_id, retired_at__isnull=True)
    if attachment.kind not in Attachment.APPLICANT_KINDS:
        raise PermissionDenied(_("该材料不能由申报单位移除。"))
    services.attachment_remove(user=request.user, application=application, attachment=attachment)
    messages.success(request, _("已移除“{title}”。").format(title=attachment.title))
    return redirect("applications:files", application.pk)


@login_required
@require_GET
def file_download(request, pk: int, attachment_id: int):
    """Files are private: served only here, after the permission check, and the download is logged."""
    application = get_application_for(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    from makerspace.audit.services import audit_record

    audit_record(
        action="attachment.download",
        actor=request.user,
        target=attachment,
        application=application,
        summary=f"下载 {attachment.title}",
    )
    return private_file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=f"{application.number}-{attachment.title}",
        inline=request.GET.get("inline") == "1",
    )


# Commitment, submission ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request, pk: int):
    # The GET shows one field of 附件2 (the legal representative, the signatory proposed): read
    # alone, rather than joining its forty columns to the header's query.
    application = get_application_for(request.user, pk, CHANGE, _page_or_write_query(request))
    if request.method == "POST":
        form = CommitmentForm(request.POST)
    else:
        form = CommitmentForm(initial={"signatory": selectors.legal_representative(application)})
    if request.method == "POST" and form.is_valid():
        services.commitment_sign(
            user=request.user, application=application, signatory=form.cleaned_data["signatory"]
        )
        messages.success(request, _("已签署申报单位信用承诺书。"))
        return redirect("applications:detail", application.pk)
    attachments = selectors.current_attachments(application)
    scans = [a for a in attachments if a.kind == Attachment.Kind.APPLICANT_COMMITMENT]
    return _page(
        request,
        _for_page(request, application),
        "applications/commitment.html",
        form=form,
        scans=scans,
        active_tab="commitment",
    )


@login_required
@require_POST
def submit(request, pk: int):
    application = get_application_for(
        request.user,
        pk,
        "applications.submit",
        selectors.write_query(),
    )
    try:
        version = services.application_submit(user=request.user, application=application)
    except StateConflict as error:
        messages.info(request, str(error))
    except RuleViolation as error:
        messages.error(request, f"（{error.rule}）{error.message}")
    else:
        messages.success(
            request,
            _("已提交第{number}版，等待主管部门审核。提交后内容已冻结。").format(number=version.number),
        )
    return redirect("applications:detail", application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    application = get_application_for(request.user, pk, "applications.withdraw")
    if request.method == "GET" and not can_proceed(application.withdraw):
        messages.error(
            request, _("申报当前状态为“{state}”，已不能撤回。").format(state=application.get_state_display())
        )
        return redirect("applications:detail", application.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                user=request.user, application=application, reason=form.cleaned_data["comment"]
            )
        except StateConflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("申报已撤回。"))
        return redirect("applications:detail", application.pk)
    return _page(request, application, "applications/withdraw.html", form=form, active_tab="overview")


@login_required
@require_GET
def version_detail(request, pk: int, number: int):
    application = get_application_for(request.user, pk, queryset=selectors.page_query())
    version = get_object_or_404(
        ApplicationVersion.objects.select_related("submitted_by"), application=application, number=number
    )
    return _page(
        request,
        application,
        "applications/version.html",
        version=version,
        sections=selectors.version_sections(version),
        active_tab="overview",
    )
