"""Screens of performance evaluation: the province's rounds, the experts' scores, the public
result list and appeals. Views authorise (permission module), parse and call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makerspace.permissions import get_filed_space_for, require

from . import evaluations
from .forms import AppealDecisionForm, AppealForm, EvaluationRoundForm, ExpertScoreForm
from .models import Appeal, Evaluation, EvaluationRound
from .views import PAGE_REFUSED, _attempt, _attempt_posted

ACTIONS = {
    "grade": (evaluations.evaluation_round_grade, "已评定等级。"),
    "publish": (evaluations.evaluation_round_publish, "评价结果已公布，申诉期开始。"),
    "finalise": (evaluations.evaluation_round_finalise, "评价结果已确定。"),
}


@login_required
@require_GET
def evaluation_list(request):
    require(request.user, "filed.list_evaluations", message=PAGE_REFUSED)
    rounds = EvaluationRound.objects.annotate(spaces=Count("evaluations")).order_by("-year")
    return render(request, "filed/evaluation_list.html", {"title": "绩效评价", "rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    require(request.user, "filed.manage_evaluation", message=PAGE_REFUSED)
    form = EvaluationRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        def create():
            created["round"] = evaluations.evaluation_round_create(user=request.user, **form.cleaned_data)

        if _attempt(request, create, "绩效评价已创建。", form=form):
            return redirect("filed:evaluation_detail", created["round"].pk)
    return render(request, "filed/evaluation_form.html", {"title": "组织绩效评价", "form": form})


def _evaluations(evaluation_round):
    return (
        evaluation_round.evaluations.select_related("filed_space", "report", "appeal")
        .annotate(experts=Count("expert_scores"))
        .order_by("filed_space__number")
    )


@login_required
@require_GET
def evaluation_detail(request, pk: int):
    require(request.user, "filed.list_evaluations", message=PAGE_REFUSED)
    evaluation_round = get_object_or_404(EvaluationRound.objects.prefetch_related("indicators"), pk=pk)
    return render(
        request,
        "filed/evaluation_detail.html",
        {
            "title": evaluation_round.title,
            "round": evaluation_round,
            "evaluations": _evaluations(evaluation_round),
            "may_manage": request.user.has_perm("filed.manage_evaluation"),
            "decision_form": AppealDecisionForm(),
        },
    )


@login_required
@require_POST
def evaluation_action(request, pk: int, name: str):
    require(request.user, "filed.manage_evaluation", message=PAGE_REFUSED)
    evaluation_round = get_object_or_404(EvaluationRound, pk=pk)
    if name not in ACTIONS:
        raise Http404("没有该操作。")
    service, success = ACTIONS[name]
    _attempt(request, lambda: service(user=request.user, evaluation_round=evaluation_round), success)
    return redirect("filed:evaluation_detail", evaluation_round.pk)


@require_GET
def evaluation_results(request, pk: int):
    """The published result list: public, like the filing list."""
    evaluation_round = EvaluationRound.objects.filter(pk=pk, published_at__isnull=False).first()
    if evaluation_round is None:
        raise Http404("该绩效评价结果尚未公布。")
    return render(
        request,
        "filed/evaluation_results.html",
        {
            "title": f"{evaluation_round.title}结果",
            "round": evaluation_round,
            "evaluations": evaluation_round.evaluations.select_related("filed_space").order_by(
                "grade", "filed_space__number"
            ),
        },
    )


@login_required
@require_GET
def expert_home(request):
    require(request.user, "filed.score_evaluation", message=PAGE_REFUSED)
    rounds = EvaluationRound.objects.filter(graded_at__isnull=True).prefetch_related(
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.filter(report__isnull=False)
            .select_related("filed_space", "report")
            .order_by("filed_space__number"),
        )
    )
    return render(
        request,
        "filed/expert_home.html",
        {"title": "绩效评价评分", "rounds": rounds, "form": ExpertScoreForm()},
    )


@login_required
@require_POST
def expert_score(request, pk: int):
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("round", "filed_space__application__basic_info"), pk=pk
    )
    require(request.user, "filed.score_evaluation", evaluation, PAGE_REFUSED)
    form = ExpertScoreForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: evaluations.expert_score_record(user=request.user, evaluation=evaluation, **data),
        "评分已保存。",
        "评分应为0–100之间的数。",
    )
    return redirect("filed:expert_home")


@login_required
@require_POST
def appeal_file(request, pk: int, evaluation_id: int):
    filed_space = get_filed_space_for(request.user, pk)
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("round"), pk=evaluation_id, filed_space=filed_space
    )
    require(request.user, "filed.appeal_evaluation", evaluation, "不在申诉期内，或您不能为该空间申诉。")
    form = AppealForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: evaluations.appeal_file(user=request.user, evaluation=evaluation, **data),
        "申诉已提交。",
        "请填写申诉理由。",
    )
    return redirect("filed:space_detail", filed_space.pk)


@login_required
@require_POST
def appeal_decide(request, pk: int):
    require(request.user, "filed.manage_evaluation", message=PAGE_REFUSED)
    appeal = get_object_or_404(Appeal.objects.select_related("evaluation"), pk=pk)
    form = AppealDecisionForm(request.POST)
    _attempt_posted(
        request,
        form,
        lambda data: evaluations.appeal_decide(user=request.user, appeal=appeal, **data),
        "申诉已处理。",
        "请选择处理结果并填写意见。",
    )
    return redirect("filed:evaluation_detail", appeal.evaluation.round_id)


@login_required
@require_POST
def indicator_weights(request, pk: int):
    from decimal import Decimal, InvalidOperation

    require(request.user, "filed.manage_evaluation", message=PAGE_REFUSED)
    evaluation_round = get_object_or_404(EvaluationRound, pk=pk)
    weights = {}
    try:
        for indicator in evaluation_round.indicators.all():
            raw = request.POST.get(f"weight-{indicator.pk}")
            if raw is not None:
                weights[indicator.pk] = Decimal(raw)
    except InvalidOperation:
        messages.error(request, "权重应为数字。")
        return redirect("filed:evaluation_detail", evaluation_round.pk)
    _attempt(
        request,
        lambda: evaluations.indicator_weights_set(
            user=request.user, evaluation_round=evaluation_round, weights=weights
        ),
        "指标权重已保存。",
    )
    return redirect("filed:evaluation_detail", evaluation_round.pk)
