"""The round pages hold a fixed number of queries whatever the number of spaces and rounds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .helpers import filed, open_round, submitted

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(world, spaces: int, rounds: list[int]):
    made = [filed(world) for _ in range(spaces)]
    report_rounds = [open_round(world, year=year) for year in rounds]
    for report in report_rounds[-1].reports.select_related("round", "filed_space")[: spaces // 2]:
        submitted(report, world.applicant)
    return made, report_rounds


PAGES = {
    "province round list": ("province", lambda rounds: reverse("filed:round_list")),
    "unit round list": ("recommender", lambda rounds: reverse("filed:round_list")),
    "province round detail": ("province", lambda rounds: reverse("filed:round_detail", args=[rounds[-1].pk])),
    "unit round detail": ("recommender", lambda rounds: reverse("filed:round_detail", args=[rounds[-1].pk])),
    "operator's reports": ("applicant", lambda rounds: reverse("filed:my_reports")),
    "filed space list": ("province", lambda rounds: reverse("filed:space_list")),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_round_pages_query_count_is_fixed_at_two_sizes(world, client, page):
    role, url_of = PAGES[page]
    _, rounds = _grow(world, 1, [2030])
    client.force_login(getattr(world, role))
    client.get(url_of(rounds))  # the session's first request does its own bookkeeping
    small = _queries(client, url_of(rounds))

    _, more = _grow(world, 4, [2031, 2032])
    large = _queries(client, url_of(more))

    assert large == small, f"{page}: {small} queries with 1 space, {large} with 5"
    assert small <= 12


def _evaluated(world, spaces: int, year: int):
    from makerspace.filed import evaluations

    for _ in range(spaces):
        filed(world)
    report_round = open_round(world, year=year)
    return evaluations.evaluation_round_create(user=world.province, report_round=report_round)


@pytest.mark.parametrize("page", ["list", "detail", "results"])
def test_evaluation_pages_query_count_is_fixed_at_two_sizes(world, client, page):
    from makerspace.filed import evaluations

    def url(evaluation_round):
        if page == "results":
            evaluations.evaluation_round_grade(user=world.province, evaluation_round=evaluation_round)
            evaluations.evaluation_round_publish(user=world.province, evaluation_round=evaluation_round)
        return {
            "list": reverse("filed:evaluation_list"),
            "detail": reverse("filed:evaluation_detail", args=[evaluation_round.pk]),
            "results": reverse("filed:evaluation_results", args=[evaluation_round.pk]),
        }[page]

    client.force_login(world.province)
    small_url = url(_evaluated(world, 1, 2030))
    client.get(small_url)
    small = _queries(client, small_url)
    large = _queries(client, url(_evaluated(world, 4, 2031)))
    assert large == small, f"evaluation {page}: {small} queries with 1 space, {large} with 5"
