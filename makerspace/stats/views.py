"""The dashboards. Each view asks the permission module, reads its figures from the selectors and
renders them, or writes the same tables as an .xlsx."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from makerspace.accounts.models import Role
from makerspace.permissions import require

from . import exports, selectors
from .cache import cached

PAGE_REFUSED = "您无权查看该统计。"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Where the statistics link of each role leads.
HOME_OF_ROLE = {
    Role.APPLICANT: "stats:progress",
    Role.SUPERVISOR: "stats:jurisdiction",
    Role.RECOMMENDER: "stats:jurisdiction",
    Role.ACCEPTANCE: "stats:batch",
    Role.PROVINCE: "stats:batch",
    Role.MINISTRY: "stats:filed",
}


# The dashboards as tabs, each shown to whoever its permission admits.
TABS = [
    ("progress", "申报进度", "stats.view_own_progress"),
    ("jurisdiction", "本辖区统计", "stats.view_jurisdiction_dashboard"),
    ("batch", "批次统计", "stats.view_batch_dashboard"),
    ("filed", "备案统计", "stats.view_filed_dashboard"),
    ("trends", "历年趋势", "stats.view_trends"),
    ("public", "公开统计", "stats.view_public_dashboard"),
]


def tabs_for(user, current: str) -> list[dict]:
    return [
        {"url": reverse(f"stats:{name}"), "label": label, "active": name == current}
        for name, label, perm in TABS
        if user.has_perm(perm)
    ]


@require_GET
def home(request):
    user = request.user
    target = HOME_OF_ROLE.get(user.role) if user.is_authenticated else None
    return redirect(target or "stats:public")


def _batch(request):
    require(request.user, "stats.view_batch_dashboard", message=PAGE_REFUSED)
    batches = selectors.batches_of(request.user)
    batch = selectors.chosen_batch(batches, request.GET.get("batch"))
    dashboard = cached(
        "batch",
        request.user,
        lambda: selectors.batch_dashboard(request.user, batch),
        batch.pk if batch else 0,
    )
    return dashboard, {"batches": batches, "batch": batch}


def _jurisdiction(request):
    require(request.user, "stats.view_jurisdiction_dashboard", message=PAGE_REFUSED)
    return selectors.jurisdiction_dashboard(request.user), {}


def _progress(request):
    require(request.user, "stats.view_own_progress", message=PAGE_REFUSED)
    return selectors.progress_dashboard(request.user), {}


def _filed(request):
    require(request.user, "stats.view_filed_dashboard", message=PAGE_REFUSED)
    scope = selectors.filed_scope(request.user)
    return cached("filed", request.user, lambda: selectors.filed_dashboard(scope, public=False)), {}


def _public(request):
    require(request.user, "stats.view_public_dashboard", message=PAGE_REFUSED)
    scope = selectors.filed_scope(None)
    return cached("public", None, lambda: selectors.filed_dashboard(scope, public=True)), {}


def _trends(request):
    require(request.user, "stats.view_trends", message=PAGE_REFUSED)
    return cached("trends", request.user, lambda: selectors.trends_dashboard(request.user)), {}


DASHBOARDS = {
    "batch": _batch,
    "jurisdiction": _jurisdiction,
    "progress": _progress,
    "filed": _filed,
    "public": _public,
    "trends": _trends,
}
# The public dashboard is for anyone; every other one needs a signed-in user first.
OPEN_TO_ANYONE = {"public"}


def _signed_in_unless_public(view):
    protected = login_required(view)

    def dispatch(request, name: str, **kwargs):
        return (view if name in OPEN_TO_ANYONE else protected)(request, name, **kwargs)

    return dispatch


@require_GET
@_signed_in_unless_public
def dashboard(request, name: str):
    figures, context = DASHBOARDS[name](request)
    return render(
        request,
        f"stats/{name}.html",
        {
            "title": figures.title,
            "dashboard": figures,
            "name": name,
            "tabs": tabs_for(request.user, name),
            "xlsx_url": f"stats:{name}_xlsx",
            "xlsx_query": request.GET.urlencode(),
            **context,
        },
    )


@require_GET
@_signed_in_unless_public
def download(request, name: str):
    figures, _ = DASHBOARDS[name](request)
    wanted = request.GET.get("table")
    tables = [t for t in figures.tables if wanted in (None, t.key)]
    if wanted and not tables:
        raise Http404("没有该统计表。")
    stamp = timezone.localtime(figures.computed_at).strftime("%Y%m%d-%H%M")
    suffix = f"-{wanted}" if wanted else ""
    response = HttpResponse(exports.dashboard_xlsx(figures, tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="stats-{name}{suffix}-{stamp}.xlsx"'
    return response
