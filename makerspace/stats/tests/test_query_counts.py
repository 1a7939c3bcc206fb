"""Each dashboard costs the same number of queries at two data sizes: its figures are grouped
counts, never one query per application, unit or batch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from makerspace.core.tests.factories import BatchFactory, RecommendingUnitFactory, World
from makerspace.stats import selectors

pytestmark = pytest.mark.django_db

# (role, dashboard): the role whose scope is counted.
PAGES = [
    ("province", "batch"),
    ("acceptance", "batch"),
    ("recommender", "jurisdiction"),
    ("supervisor", "jurisdiction"),
    ("applicant", "progress"),
    ("ministry", "filed"),
    ("anonymous", "public"),
    ("province", "trends"),
]


def _grow(scene):
    """More of everything: a third unit in another city, a second batch for 南京's unit, a batch of
    another province, more applications of 南京's applicant and at its 主管部门 and unit."""
    wuxi = World(
        unit=RecommendingUnitFactory(name="无锡市科学技术局", short_name="无锡市", city="无锡"),
        batch=scene.batch,
    )
    wuxi.advance(wuxi.formal_passed(), "select", "file", "publish")
    wuxi.delivered(2)
    wuxi.forwarded()
    later = World(unit=scene.a.unit, batch=BatchFactory())
    later.advance(later.formal_passed(), "select", "file", "publish")
    later.delivered(1)
    zhejiang = World(
        unit=RecommendingUnitFactory(name="杭州市科学技术局", short_name="杭州市", city="杭州"),
        batch=BatchFactory(province="浙江省"),
    )
    zhejiang.advance(zhejiang.formal_passed(), "select", "file", "publish")
    zhejiang.advance(zhejiang.formal_passed(), "select", "file")
    scene.b.delivered(2)
    scene.a.complete_draft()
    scene.a.submitted()
    scene.a.forwarded()


def _queries(client, scene, role: str, name: str) -> tuple[int, bytes]:
    client.logout()
    if role != "anonymous":
        client.force_login(scene.users()[role])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"stats:{name}"))
    assert response.status_code == 200
    return len(captured), response.content


def test_every_dashboard_costs_the_same_queries_at_two_sizes(scene, client):
    small = {page: _queries(client, scene, *page) for page in PAGES}
    _grow(scene)
    large = {page: _queries(client, scene, *page) for page in PAGES}
    problems = [
        f"{role} {name}: {small[(role, name)][0]} queries, then {large[(role, name)][0]}"
        for role, name in PAGES
        if small[(role, name)][0] != large[(role, name)][0]
    ]
    assert not problems, "\n".join(problems)
    # The larger data shows on the pages: the figures moved while the queries did not.
    assert all(small[page][1] != large[page][1] for page in PAGES if page != ("acceptance", "batch"))
    assert all(count <= 25 for count, _ in large.values()), {p: c for p, (c, _) in large.items()}


@pytest.mark.parametrize(
    ("role", "name"), [("province", "batch"), ("ministry", "filed"), ("anonymous", "public")]
)
def test_the_downloads_cost_the_same_queries_at_two_sizes(scene, client, role, name):
    def count() -> int:
        client.logout()
        if role != "anonymous":
            client.force_login(scene.users()[role])
        client.get(reverse("stats:public"))  # the session's first request writes its timestamps
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"stats:{name}_xlsx")).status_code == 200
        return len(captured)

    before = count()
    _grow(scene)
    assert count() == before


def test_the_filed_figures_by_province_city_field_builder_and_year_cost_four_queries(
    scene, django_assert_num_queries
):
    def figures():
        for user, public in ((scene.a.ministry, False), (None, True)):
            scope = selectors.filed_scope(user)
            # 1 grouped by province and city (both tables), 2 by field, 3 by builder, 4 by year
            with django_assert_num_queries(4):
                dashboard = selectors.filed_dashboard(scope, public=public)
            yield dashboard.table("by_province").rows

    assert list(figures()) == [[["江苏省", 2]], [["江苏省", 2]]]
    _grow(scene)
    assert list(figures()) == [[["江苏省", 4], ["浙江省", 2]], [["江苏省", 4], ["浙江省", 1]]]
