"""Screens of filed spaces and their annual reports. Views authorise (permission module), parse
and call a service."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.core.files import private_file_response
from makerspace.core.views import PAGE_REFUSED, attempt, attempt_posted
from makerspace.permissions import get_filed_space_for, get_report_for, require

from . import selectors, services, workflow
from .forms import (
    AppealForm,
    ChangeDecisionForm,
    CommentForm,
    DecideForm,
    EndForm,
    ExitForm,
    FiguresForm,
    RectificationForm,
    RoundForm,
    SignForm,
    UploadForm,
)
from .models import MANAGED, ReportRound, RevocationProposal

DECISIONS = ("forward", "accept", "return_report")


# The annual-report pages read a refusal without its rule's code.
_attempt = partial(attempt, name_rule=False)
_attempt_posted = partial(attempt_posted, name_rule=False)


# Filed spaces --------------------------------------------------------------------------------


@login_required
@require_GET
def space_list(request):
    require(request.user, "filed.list_filed_spaces", message=PAGE_REFUSED)
    return render(
        request,
        "filed/space_list.html",
        {"title": "备案众创空间", "spaces": selectors.filed_spaces_for(request.user)},
    )


@login_required
@require_GET
def space_detail(request, pk: int):
    filed_space = get_filed_space_for(request.user, pk)
    return render(
        request,
        "filed/space_detail.html",
        {
            "title": filed_space.name,
            "space": filed_space,
            "history": filed_space.history.select_related("actor"),
            "reports": filed_space.reports.select_related("round").order_by("-round__year"),
            "proposals": filed_space.revocation_proposals.all(),
            "evaluations": [
                (evaluation, request.user.has_perm("filed.appeal_evaluation", evaluation))
                for evaluation in filed_space.evaluations.filter(round__published_at__isnull=False)
                .select_related("round", "appeal")
                .order_by("-round__year")
            ],
            "appeal_form": AppealForm(),
            "changes": [
                (change, request.user.has_perm("filed.review_change", change))
                for change in filed_space.change_requests.all()
            ],
            "may_request_change": request.user.has_perm("filed.request_change", filed_space),
            "spot_checks": filed_space.spot_checks.all(),
            "rectifications": filed_space.rectifications.all(),
            "may_spot_check": request.user.has_perm("filed.spot_check", filed_space),
            "change_decision_form": ChangeDecisionForm(),
            "rectification_form": RectificationForm(),
            "exit_form": ExitForm(),
            "may_decide": request.user.has_perm("filed.revoke_filedspace", filed_space),
            "may_end": request.user.has_perm("filed.revoke_filedspace", filed_space)
            and filed_space.status in MANAGED,
            "end_form": EndForm(),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def space_end(request, pk: int):
    filed_space = get_filed_space_for(request.user, pk, "filed.revoke_filedspace")
    form = EndForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: services.filed_space_end(user=request.user, filed_space=filed_space, **data),
        "已记录。",
        "请选择依据并填写理由。",
    )
    return redirect("filed:space_detail", filed_space.pk)


@login_required
@require_POST
def space_exit(request, pk: int):
    filed_space = get_filed_space_for(request.user, pk, "filed.request_change")
    form = ExitForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: services.exit_request(user=request.user, filed_space=filed_space, **data),
        "退出申请已提交省科技厅。",
        "请填写退出理由。",
    )
    return redirect("filed:space_detail", filed_space.pk)


@login_required
@require_POST
def proposal_decide(request, pk: int, proposal_id: int):
    filed_space = get_filed_space_for(request.user, pk, "filed.revoke_filedspace")
    proposal = get_object_or_404(RevocationProposal, pk=proposal_id, filed_space=filed_space)
    form = DecideForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: services.revocation_decide(user=request.user, proposal=proposal, **data),
        "已作出决定。",
        "请选择决定并填写意见。",
    )
    return redirect("filed:space_detail", filed_space.pk)


# Reporting rounds ----------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    require(request.user, "filed.list_rounds", message=PAGE_REFUSED)
    return render(
        request,
        "filed/round_list.html",
        {
            "title": "年度报告",
            "rounds": selectors.rounds_for(request.user),
            "may_open": request.user.has_perm("filed.open_round"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(request.user, "filed.open_round", message=PAGE_REFUSED)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        def open_round():
            created["round"] = services.round_open(user=request.user, **form.cleaned_data)

        if _attempt(request, open_round, "年度报告工作已发布。", form=form):
            return redirect("filed:round_detail", created["round"].pk)
    return render(request, "filed/round_form.html", {"title": "发布年度报告工作", "form": form})


@login_required
@require_GET
def round_detail(request, pk: int):
    require(request.user, "filed.list_rounds", message=PAGE_REFUSED)
    report_round = get_object_or_404(ReportRound.objects.prefetch_related("steps"), pk=pk)
    return render(
        request,
        "filed/round_detail.html",
        {
            "title": report_round.title,
            "round": report_round,
            "reports": selectors.round_reports(request.user, report_round),
            "may_close": request.user.has_perm("filed.manage_round", report_round)
            and report_round.closed_at is None,
        },
    )


@login_required
@require_POST
def round_close(request, pk: int):
    require(request.user, "filed.manage_round", message=PAGE_REFUSED)
    report_round = get_object_or_404(ReportRound, pk=pk)
    _attempt(
        request,
        lambda: services.round_close(user=request.user, report_round=report_round),
        "已统计逾期未报。",
    )
    return redirect("filed:round_detail", report_round.pk)


# Annual reports ------------------------------------------------------------------------------


@login_required
@require_GET
def my_reports(request):
    require(request.user, "filed.list_my_reports", message=PAGE_REFUSED)
    return render(
        request, "filed/my_reports.html", {"title": "年度报告", "reports": selectors.my_reports(request.user)}
    )


@login_required
@require_GET
def report_detail(request, pk: int):
    report = get_report_for(request.user, pk)
    user = request.user
    return render(
        request,
        "filed/report_detail.html",
        {
            "title": str(report),
            "report": report,
            "figures": [
                (report._meta.get_field(name).verbose_name, getattr(report, name)) for name in report.FIGURES
            ],
            "events": report.events.select_related("actor"),
            "may_edit": user.has_perm("filed.change_report", report),
            "decisions": [
                (name, workflow.TRANSITION_LABELS[name])
                for name in DECISIONS
                if user.has_perm(f"filed.{name}", report)
            ],
            "unmet": workflow.unmet(report, "submit") if report.is_editable else [],
            "comment_form": CommentForm(),
            "sign_form": SignForm(initial={"signatory": report.signatory}),
            "upload_form": UploadForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = get_report_for(request.user, pk, "filed.change_report")
    form = FiguresForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in report.FIGURES}
        report.refresh_from_db()
        if _attempt(
            request,
            lambda: services.report_save(user=request.user, report=report, figures=figures),
            "已保存。",
            form,
        ):
            return redirect("filed:report_detail", report.pk)
    return render(
        request, "filed/report_form.html", {"title": f"填报{report}", "report": report, "form": form}
    )


@login_required
@require_POST
def report_sign(request, pk: int):
    report = get_report_for(request.user, pk, "filed.change_report")
    form = SignForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: services.report_sign(user=request.user, report=report, signatory=data["signatory"]),
        "已签署。",
        "请填写运营主体法人姓名。",
    )
    return redirect("filed:report_detail", report.pk)


@login_required
@require_POST
def report_upload(request, pk: int):
    report = get_report_for(request.user, pk, "filed.change_report")
    form = UploadForm(request.POST, request.FILES)
    _attempt_posted(
        request,
        form,
        lambda data: services.report_upload_sealed(user=request.user, report=report, upload=data["file"]),
        "盖章件已上传。",
        "请选择文件。",
    )
    return redirect("filed:report_detail", report.pk)


@login_required
@require_POST
def report_submit(request, pk: int):
    report = get_report_for(request.user, pk, "filed.submit")
    _attempt(
        request,
        lambda: services.report_transition(user=request.user, report=report, name="submit"),
        "年度报告已提交。",
    )
    return redirect("filed:report_detail", report.pk)


@login_required
@require_POST
def report_decide(request, pk: int, name: str):
    if name not in DECISIONS:
        return redirect("filed:report_detail", pk)
    report = get_report_for(request.user, pk, f"filed.{name}")
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services.report_transition(user=request.user, report=report, name=name, comment=comment),
        f"{workflow.TRANSITION_LABELS[name]}。",
    )
    return redirect("filed:report_detail", report.pk)


@login_required
@require_GET
def report_sealed(request, pk: int):
    report = get_report_for(request.user, pk)
    if not report.sealed_copy:
        from django.http import Http404

        raise Http404("尚未上传盖章件。")
    return private_file_response(
        report.sealed_copy,
        content_type=report.sealed_copy_type,
        filename=f"{report.round.year}年度报告-{report.filed_space.number}",
    )


# Documents -----------------------------------------------------------------------------------

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(data: bytes, fmt: str, filename: str):
    import io

    from django.http import FileResponse

    return FileResponse(
        io.BytesIO(data), content_type=CONTENT_TYPES[fmt], as_attachment=True, filename=f"{filename}.{fmt}"
    )


@login_required
@require_GET
def report_document(request, pk: int, fmt: str):
    from django.http import Http404

    from .documents import annual_report

    if fmt not in ("docx", "pdf"):
        raise Http404("没有该格式。")
    report = get_report_for(request.user, pk)
    return _download(
        annual_report(report, fmt), fmt, f"{report.round.year}年度报告-{report.filed_space.number}"
    )


@login_required
@require_GET
def evaluation_document(request, pk: int, fmt: str):
    from django.http import Http404

    from makerspace.permissions import get_evaluation_for

    from .documents import evaluation_result

    if fmt not in ("docx", "pdf"):
        raise Http404("没有该格式。")
    evaluation = get_evaluation_for(request.user, pk)
    return _download(
        evaluation_result(evaluation, fmt),
        fmt,
        f"{evaluation.round.year}年度绩效评价结果-{evaluation.filed_space.number}",
    )


@login_required
@require_GET
def round_export(request, pk: int):
    from .documents import round_xlsx

    require(request.user, "filed.list_rounds", message=PAGE_REFUSED)
    report_round = get_object_or_404(ReportRound, pk=pk)
    reports = selectors.round_reports(request.user, report_round)
    return _download(round_xlsx(report_round, reports), "xlsx", f"{report_round.year}年度报告数据")
