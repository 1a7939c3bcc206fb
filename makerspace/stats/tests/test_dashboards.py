"""Each dashboard's figures equal the counts of the lists they summarise, for every role, and no
role sees a figure of an application it may not see (the scene: two units, 南京 and 苏州, one batch)."""

import io
import re

import pytest
from django.urls import reverse

from makerspace.applications.selectors import applications_of_applicant
from makerspace.applications.workflow import State
from makerspace.permissions import visible_applications
from makerspace.reviews import selectors as reviews
from makerspace.stats import selectors
from makerspace.stats.selectors import FILED, label_of

pytestmark = pytest.mark.django_db

ALL_STATES = list(State.values)


def _by_label(table) -> dict:
    return {row[0]: row[1] for row in table.rows}


@pytest.mark.parametrize("role", ["province", "acceptance"])
def test_the_batch_dashboard_counts_what_the_batch_lists_show(scene, role):
    user = scene.users()[role]
    dashboard = selectors.batch_dashboard(user, scene.batch)
    by_state = _by_label(dashboard.table("by_state"))
    for state in ALL_STATES:
        listed = reviews.batch_page(user, scene.batch, [state]).paginator.count
        assert by_state.get(label_of(scene.batch, state), 0) == listed, state
    total = reviews.batch_page(user, scene.batch, ALL_STATES).paginator.count
    assert dict(dashboard.headline)["申报总数"] == total == sum(by_state.values())
    # The province and the acceptance unit see from the delivery on: no draft, no application
    # still at a 主管部门 or a unit.
    assert State.DRAFT not in {s for s in ALL_STATES if by_state.get(label_of(scene.batch, s))}
    # 南京: 2 delivered, received, failed, selected, published; 苏州: delivered, published.
    assert total == 8


def test_the_batch_dashboard_by_step_and_by_city_add_up(scene):
    dashboard = selectors.batch_dashboard(scene.a.province, scene.batch)
    by_step = dashboard.table("by_step")
    assert sum(row[1] + row[2] for row in by_step.rows) == dict(dashboard.headline)["申报总数"]
    receipt = next(row for row in by_step.rows if "受理" in row[0])
    assert receipt[1] == reviews.batch_page(scene.a.province, scene.batch, [State.DELIVERED]).paginator.count
    by_city = _by_label(dashboard.table("by_city"))
    for city, unit in (("南京", scene.a.unit), ("苏州", scene.b.unit)):
        assert by_city[city] == visible_applications(scene.a.province).filter(recommending_unit=unit).count()


def test_paper_copies_outstanding_are_the_deliveries_the_acceptance_queue_flags(scene):
    table = selectors.batch_dashboard(scene.a.acceptance, scene.batch).table("paper_outstanding")
    expected = {}
    for submission in reviews.acceptance_queue(scene.a.acceptance):
        lacking = [
            a
            for a in reviews.acceptance_rows(submission)
            if a.state == State.DELIVERED and a.paper_copies < 2
        ]
        if lacking:
            name = submission.recommending_unit.short_name
            expected[name] = expected.get(name, 0) + len(lacking)
    assert {row[0]: row[1] for row in table.rows} == expected == {"南京市": 2, "苏州市": 1}
    assert {row[0]: row[2] for row in table.rows} == {"南京市": 4, "苏州市": 2}


def test_formal_review_results_and_quota_follow_the_states(scene):
    dashboard = selectors.batch_dashboard(scene.a.province, scene.batch)
    formal = _by_label(dashboard.table("formal_review"))
    assert formal == {"待形式审查": 1, "形式审查通过": 3, "形式审查未通过": 1}
    quota = _by_label(dashboard.table("quota"))
    selected = reviews.batch_page(
        scene.a.province, scene.batch, [State.RECOMMENDED_TO_MINISTRY, *FILED]
    ).paginator.count
    assert quota["已择优推荐至科技部"] == selected == 3
    assert quota["剩余名额"] == scene.batch.quota - 3


def test_units_not_delivered_are_those_without_a_delivery_with_their_countdown(scene):
    from makerspace.accounts.models import RecommendingUnit
    from makerspace.core.tests.factories import RecommendingUnitFactory

    silent = RecommendingUnitFactory(name="宿迁市科学技术局", short_name="宿迁市", city="宿迁")
    for role in ("province", "acceptance"):
        table = selectors.batch_dashboard(scene.users()[role], scene.batch).table("not_delivered")
        rows = {row[0]: row for row in table.rows}
        # Both 南京 and 苏州 delivered (their deliveries are in the acceptance queue); 宿迁 did not.
        delivered = {s.recommending_unit.short_name for s in reviews.acceptance_queue(scene.a.acceptance)}
        assert delivered == {"南京市", "苏州市"}
        expected = set(RecommendingUnit.objects.filter(active=True).values_list("short_name", flat=True))
        assert set(rows) == expected - delivered
        assert rows[silent.short_name][3].startswith("剩余")


def test_only_the_province_sees_the_scoring_figures(scene):
    assert "scoring" in [t.key for t in selectors.batch_dashboard(scene.a.province, scene.batch).tables]
    assert "scoring" not in [t.key for t in selectors.batch_dashboard(scene.a.acceptance, scene.batch).tables]


@pytest.mark.parametrize("role", ["recommender", "other_recommender"])
def test_a_units_figures_equal_its_queue_and_its_own_applications_only(scene, role):
    user = scene.users()[role]
    dashboard = selectors.jurisdiction_dashboard(user)
    progress = dashboard.table("progress")
    queue = reviews.recommender_queue(user).paginator.count
    assert progress.rows[0][2] == queue == dict(dashboard.headline)["待本单位审核"]
    returned = visible_applications(user).filter(state=State.RETURNED).count()
    assert progress.rows[0][3] == returned
    seen = sum(_by_label(dashboard.table("by_state")).values())
    assert seen == visible_applications(user).count()
    own = scene.a if role == "recommender" else scene.b
    assert seen == visible_applications(user).filter(recommending_unit=own.unit).count()
    waiting = {row[0] for row in dashboard.table("waiting").rows}
    at_unit = set(
        visible_applications(user).filter(state=State.AT_RECOMMENDER).values_list("space__name", flat=True)
    )
    assert waiting == at_unit


@pytest.mark.parametrize("role", ["supervisor", "other_supervisor"])
def test_a_supervisors_figures_equal_its_queue(scene, role):
    user = scene.users()[role]
    dashboard = selectors.jurisdiction_dashboard(user)
    assert dashboard.table("progress").rows[0][2] == reviews.supervisor_queue(user).paginator.count
    assert sum(_by_label(dashboard.table("by_state")).values()) == visible_applications(user).count()
    countdown = dashboard.table("countdown").rows
    assert countdown and countdown[0][3].startswith("剩余")


def test_the_applicants_timeline_covers_its_own_applications_only(scene):
    timelines = selectors.progress_timelines(scene.a.applicant)
    assert [t["application"].pk for t in timelines] == [
        a.pk for a in applications_of_applicant(scene.a.applicant)
    ]
    assert not set(t["application"].pk for t in timelines) & set(
        visible_applications(scene.b.applicant).values_list("pk", flat=True)
    )
    at_recommender = next(t for t in timelines if t["application"].pk == scene.a_at_recommender.pk)
    statuses = {s["step"].kind: s["status"] for s in at_recommender["steps"]}
    assert statuses["attest"] == "done"
    assert statuses["unit_review"] == "current"
    assert statuses["filing"] == "ahead"
    entered = {s["step"].kind: s["entered"] for s in at_recommender["steps"]}
    assert entered["attest"] is not None and entered["unit_review"] is not None
    published = next(t for t in timelines if t["application"].pk == scene.a_published.pk)
    assert {s["status"] for s in published["steps"]} == {"done"}
    failed = next(t for t in timelines if t["application"].pk == scene.a_failed.pk)
    assert {s["step"].kind: s["status"] for s in failed["steps"]}["formal_review"] == "ended"


def test_the_ministry_counts_its_filed_list_and_the_public_only_the_published(scene):
    ministry = scene.a.ministry
    filed = selectors.filed_dashboard(selectors.filed_scope(ministry), public=False)
    listed = reviews.batch_page(ministry, scene.batch, FILED).paginator.count
    assert sum(_by_label(filed.table("by_city")).values()) == listed == 2
    assert sum(_by_label(filed.table("by_year")).values()) == listed
    public = selectors.filed_dashboard(selectors.filed_scope(None), public=True)
    published = sum(len(p.applications.all()) for p in reviews.published_lists(scene.batch))
    assert sum(_by_label(public.table("by_city")).values()) == published == 2
    by_city = _by_label(public.table("by_city"))
    assert {c: n for c, n in by_city.items() if n} == {"南京": 1, "苏州": 1}
    assert list(by_city) == selectors.CITIES  # every 设区市 on the map, with 0 where none
    assert sum(_by_label(public.table("by_field")).values()) == published


def test_the_public_figures_leave_out_a_filed_space_not_yet_published(scene):
    scene.b.advance(scene.b.formal_passed(), "select", "file")
    public = selectors.filed_dashboard(selectors.filed_scope(None), public=True)
    ministry = selectors.filed_dashboard(selectors.filed_scope(scene.a.ministry), public=False)
    assert dict(public.headline)["已公布众创空间"] == 2
    assert dict(ministry.headline)["已备案众创空间"] == 3


@pytest.mark.parametrize(
    "role", ["supervisor", "recommender", "other_recommender", "acceptance", "province", "ministry"]
)
def test_trends_count_what_the_role_sees(scene, role):
    user = scene.users()[role]
    row = selectors.trends_dashboard(user).table("by_batch").rows[0]
    visible = visible_applications(user)
    assert row[1] == visible.exclude(state=State.DRAFT).count()
    assert row[4] == visible.filter(state__in=FILED).count()


def test_no_role_sees_figures_of_another_units_applications(scene, client):
    """A unit's page names none of the other unit's spaces; the applicant's none of another's."""
    b_names = set(visible_applications(scene.b.recommender).values_list("space__name", flat=True))
    for user in (scene.a.recommender, scene.a.supervisor):
        client.force_login(user)
        page = client.get(reverse("stats:jurisdiction")).content.decode()
        assert not [name for name in b_names if name in page]
    client.force_login(scene.a.applicant)
    page = client.get(reverse("stats:progress")).content.decode()
    others = visible_applications(scene.b.applicant).values_list("space__name", flat=True)
    assert not [name for name in others if name in page]
    assert scene.a_draft.space.name in page


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("expert", "batch"),
        ("admin", "batch"),
        ("recommender", "batch"),
        ("ministry", "batch"),
        ("applicant", "jurisdiction"),
        ("province", "progress"),
        ("applicant", "trends"),
        ("acceptance", "filed"),
    ],
)
def test_a_role_cannot_open_another_roles_dashboard_or_its_download(scene, client, role, name):
    client.force_login(scene.users()[role])
    assert client.get(reverse(f"stats:{name}")).status_code == 403
    assert client.get(reverse(f"stats:{name}_xlsx")).status_code == 403


def test_the_download_holds_the_same_numbers_as_the_page(scene, client):
    from openpyxl import load_workbook

    client.force_login(scene.a.province)
    dashboard = selectors.batch_dashboard(scene.a.province, scene.batch)
    response = client.get(reverse("stats:batch_xlsx"), {"batch": scene.batch.pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == len(dashboard.tables)
    for sheet, table in zip(workbook.worksheets, dashboard.tables, strict=True):
        rows = [list(r) for r in sheet.iter_rows(min_row=4, max_row=3 + len(table.rows), values_only=True)]
        assert [r[: len(table.headers)] for r in rows] == table.rows, table.key
        assert [c.value for c in sheet[3]][: len(table.headers)] == table.headers
    one = client.get(reverse("stats:batch_xlsx"), {"batch": scene.batch.pk, "table": "by_city"})
    assert [s.title for s in load_workbook(io.BytesIO(one.content)).worksheets] == [
        dashboard.table("by_city").title
    ]
    assert client.get(reverse("stats:batch_xlsx"), {"table": "nothing"}).status_code == 404


def test_a_name_that_looks_like_a_formula_is_written_as_text(scene, client):
    from openpyxl import load_workbook

    application = scene.a.forwarded(name="=HYPERLINK(1)专业化众创空间")
    assert application.space.name.startswith("=")
    client.force_login(scene.a.recommender)
    response = client.get(reverse("stats:jurisdiction_xlsx"), {"table": "waiting"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=4) for c in row if c.value == application.space.name]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("province", "batch"),
        ("recommender", "jurisdiction"),
        ("ministry", "filed"),
        ("anonymous", "public"),
        ("supervisor", "trends"),
    ],
)
def test_every_chart_reads_the_numbers_of_its_table(scene, client, role, name):
    import json

    if role != "anonymous":
        client.force_login(scene.users()[role])
    response = client.get(reverse(f"stats:{name}"))
    page = response.content.decode()
    for table in response.context["dashboard"].tables:
        if not table.chart:
            assert f'id="{table.dom_id}"' not in page
            continue
        found = re.search(rf'<script id="{table.dom_id}" type="application/json">(.*?)</script>', page, re.S)
        data = json.loads(found.group(1))
        assert data["categories"] == [str(r[0]) for r in table.rows]
        numeric = [
            h
            for i, h in enumerate(table.headers)
            if i and all(isinstance(r[i], int | float) for r in table.rows)
        ]
        assert [s["name"] for s in data["series"]] == numeric
        for series in data["series"]:
            assert series["data"] == table.column(series["name"]), (table.key, series["name"])


def test_figures_are_cached_with_their_time_shown(scene, client, settings, django_assert_max_num_queries):
    settings.STATS_CACHE_SECONDS = 300
    client.force_login(scene.a.province)
    first = client.get(reverse("stats:batch"))
    stamp = re.search(r'<time datetime="([^"]+)"', first.content.decode()).group(1)
    scene.b.delivered(1)
    second = client.get(reverse("stats:batch"))
    assert re.search(r'<time datetime="([^"]+)"', second.content.decode()).group(1) == stamp
    assert first.context["dashboard"].headline == second.context["dashboard"].headline


@pytest.mark.parametrize(
    ("role", "build"),
    [
        ("applicant", lambda user: selectors.progress_dashboard(user)),
        ("supervisor", lambda user: selectors.jurisdiction_dashboard(user)),
        ("recommender", lambda user: selectors.jurisdiction_dashboard(user)),
        ("recommender", lambda user: selectors.trends_dashboard(user)),
    ],
)
def test_another_units_applications_move_none_of_a_units_figures(scene, role, build):
    """苏州's work going on changes nothing that 南京's parties see."""
    user = scene.users()[role]
    before = [(t.key, t.rows) for t in build(user).tables]
    scene.b.delivered(2)
    scene.b.forwarded()
    scene.b.advance(scene.b.formal_passed(), "select", "file", "publish")
    assert [(t.key, t.rows) for t in build(user).tables] == before
    province = selectors.trends_dashboard(scene.a.province).table("by_batch").rows[0]
    assert province[4] == visible_applications(scene.a.province).filter(state__in=FILED).count() == 3


def test_the_background_refresh_has_the_role_wide_figures_ready(scene, client, settings):
    from makerspace.stats.tasks import refresh_dashboards

    settings.STATS_CACHE_SECONDS = 300
    # The one batch's page for the province and for the acceptance unit, the province's and the
    # ministry's filed figures, the trends of the three role-wide scopes, the public figures.
    assert refresh_dashboards() == 2 + 2 + 3 + 1
    client.force_login(scene.a.province)
    scene.b.delivered(1)  # after the refresh: the kept figures do not know it yet
    page = client.get(reverse("stats:batch"))
    shown = page.context["dashboard"]
    assert dict(shown.headline)["申报总数"] == 8
    assert dict(selectors.batch_dashboard(scene.a.province, scene.batch).headline)["申报总数"] == 9


def test_the_applicants_download_lists_every_step_of_its_timelines(scene, client):
    from openpyxl import load_workbook

    client.force_login(scene.a.applicant)
    response = client.get(reverse("stats:progress_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    timelines = selectors.progress_timelines(scene.a.applicant)
    assert len(rows) == sum(len(t["steps"]) for t in timelines)
    assert {r[0] for r in rows} == {
        f"{t['application'].space.name}（{scene.batch.title}）" for t in timelines
    }


def _other_province(province: str, city: str):
    """A batch run by another province's science department, with a unit of one of its cities."""
    from makerspace.core.tests.factories import BatchFactory, RecommendingUnitFactory, World

    unit = RecommendingUnitFactory(
        name=f"{city}市科学技术局", short_name=f"{city}市", city=city, province=province
    )
    return World(unit=unit, batch=BatchFactory(province=province))


def test_by_province_counts_what_the_ministrys_lists_and_the_published_lists_show(scene):
    zhejiang = _other_province("浙江省", "杭州")
    for _ in range(2):
        zhejiang.advance(zhejiang.formal_passed(), "select", "file", "publish")
    zhejiang.advance(zhejiang.formal_passed(), "select", "file")
    ministry = scene.a.ministry

    def listed(batch) -> int:
        return reviews.batch_page(ministry, batch, FILED).paginator.count

    def published(batch) -> int:
        return sum(len(p.applications.all()) for p in reviews.published_lists(batch))

    filed = selectors.filed_dashboard(selectors.filed_scope(ministry), public=False)
    by_province = _by_label(filed.table("by_province"))
    assert by_province == {"江苏省": listed(scene.batch), "浙江省": listed(zhejiang.batch)}
    assert by_province == {"江苏省": 2, "浙江省": 3}
    assert list(by_province) == ["江苏省", "浙江省"]  # in the order of the division codes (32, 33)
    assert dict(filed.headline)["已备案众创空间"] == 5 == sum(_by_label(filed.table("by_city")).values())
    assert _by_label(filed.table("by_city"))["杭州（浙江省）"] == 3
    assert filed.scope.startswith("2个省份")

    public = selectors.filed_dashboard(selectors.filed_scope(None), public=True)
    by_province = _by_label(public.table("by_province"))
    assert by_province == {"江苏省": published(scene.batch), "浙江省": published(zhejiang.batch)}
    assert by_province == {"江苏省": 2, "浙江省": 2}
    assert _by_label(public.table("by_city"))["杭州（浙江省）"] == 2
    assert dict(public.headline)["已公布众创空间"] == 4


def test_the_public_by_province_never_counts_a_space_not_yet_published(scene):
    anhui = _other_province("安徽省", "合肥")
    anhui.advance(anhui.formal_passed(), "select", "file")
    scene.b.advance(scene.b.formal_passed(), "select", "file")
    public = selectors.filed_dashboard(selectors.filed_scope(None), public=True)
    assert _by_label(public.table("by_province")) == {"江苏省": 2}
    assert "合肥（安徽省）" not in _by_label(public.table("by_city"))
    ministry = selectors.filed_dashboard(selectors.filed_scope(scene.a.ministry), public=False)
    assert _by_label(ministry.table("by_province")) == {"江苏省": 3, "安徽省": 1}


@pytest.mark.parametrize(("role", "name"), [("ministry", "filed"), ("anonymous", "public")])
def test_the_province_table_is_on_the_page_and_in_the_download(scene, client, role, name):
    from openpyxl import load_workbook

    zhejiang = _other_province("浙江省", "杭州")
    zhejiang.advance(zhejiang.formal_passed(), "select", "file", "publish")
    if role != "anonymous":
        client.force_login(scene.users()[role])
    page = client.get(reverse(f"stats:{name}"))
    table = page.context["dashboard"].table("by_province")
    assert table.rows == [["江苏省", 2], ["浙江省", 1]]
    assert 'id="stat-by_province"' in page.content.decode()
    download = client.get(reverse(f"stats:{name}_xlsx"))
    sheet = next(s for s in load_workbook(io.BytesIO(download.content)).worksheets if s.title == table.title)
    assert [list(r) for r in sheet.iter_rows(min_row=4, max_row=5, values_only=True)] == table.rows


def test_a_batch_is_named_once_by_its_year(scene):
    """A title that begins with its year is not led by the year again ("2026年 2026年…")."""
    batch = scene.a.batch
    batch.title = f"{batch.year}年国家专业化众创空间备案推荐"
    batch.save(update_fields=["title"])
    labels = [row[0] for row in selectors.trends_dashboard(scene.a.province).table("by_batch").rows]
    assert batch.title in labels
    assert not [label for label in labels if label.count("年") > 1 and label.startswith(f"{batch.year}年 ")]
    batch.title = "第二批"
    assert batch.year_label == f"{batch.year}年 第二批"


def test_a_returned_applications_timeline_names_the_step_that_returned_it(scene, client):
    """Returned by the unit: the unit's step says 已退回修改, the steps after it show no arrival of
    an earlier pass, and the applicant's own step is the one in hand again."""
    timelines = selectors.progress_timelines(scene.a.applicant)
    returned = next(t for t in timelines if t["application"].pk == scene.a_returned.pk)
    statuses = {s["step"].kind: s["status"] for s in returned["steps"]}
    assert statuses["attest"] == "done"
    assert statuses["unit_review"] == "returned"
    assert statuses["filing"] == "ahead"
    assert all(s["entered"] is None for s in returned["steps"] if s["status"] == "ahead")
    assert returned["with_applicant"]
    client.force_login(scene.a.applicant)
    page = client.get(reverse("stats:progress")).content.decode()
    assert "已退回修改" in page and "修改后重新提交" in page
