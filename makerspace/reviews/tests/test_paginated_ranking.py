"""Ranking forms cover one page of candidates; ranks stay one sequence over all pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from makerspace.applications.workflow import State
from makerspace.core.errors import RuleViolation
from makerspace.reviews import selectors, services

from .test_queries import TO_STATE

pytestmark = pytest.mark.django_db

TO_STATE_RECOMMENDED = ("forward", "recommend")


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)


def _in(world, names, count: int) -> list:
    return [world.advance(world.submitted(), *names) for _ in range(count)]


def _ranks(applications, attr: str) -> list:
    for application in applications:
        application.refresh_from_db()
    return [getattr(a, attr) for a in applications]


def _fields(html: str, applications) -> list[bool]:
    return [f'name="rank_{a.pk}"' in html for a in applications]


def test_saving_province_ranks_on_page_2_keeps_the_ranks_of_page_1(world, client, two_per_page):
    passed = _in(world, TO_STATE[State.FORMAL_PASSED], 4)
    client.force_login(world.province)
    page = reverse("reviews:province_batch", args=[world.batch.pk])
    save = reverse("reviews:province_ranks", args=[world.batch.pk])

    assert _fields(client.get(page).content.decode(), passed) == [True, True, False, False]
    response = client.post(f"{save}?passed=1", {f"rank_{passed[0].pk}": 1, f"rank_{passed[1].pk}": 2})
    assert response.status_code == 302 and response["Location"].endswith("?passed=1#ranks")

    # Ranked first: page 2 now holds the two unranked ones, and only those are in its form.
    assert _fields(client.get(f"{page}?passed=2").content.decode(), passed) == [False, False, True, True]
    response = client.post(f"{save}?passed=2", {f"rank_{passed[2].pk}": 3, f"rank_{passed[3].pk}": ""})
    assert response.status_code == 302 and response["Location"].endswith("?passed=2#ranks")
    assert _ranks(passed, "province_rank") == [1, 2, 3, None]

    # A rank held on the other page is refused next to the form; nothing changes.
    response = client.post(f"{save}?passed=2", {f"rank_{passed[2].pk}": 4, f"rank_{passed[3].pk}": 1})
    assert response.status_code == 400
    assert f"名次 1（{passed[0].number}）已用于其他页的申报" in response.content.decode()
    assert (
        f'href="{page}?passed=1#ranks"' in response.content.decode()
    )  # links lead to the page, not the POST
    assert _ranks(passed, "province_rank") == [1, 2, 3, None]


def test_r10_quota_holds_with_a_ranking_saved_page_by_page(world, client, two_per_page):
    world.batch.quota = 1
    world.batch.save(update_fields=["quota"])
    passed = _in(world, TO_STATE[State.FORMAL_PASSED], 3)
    client.force_login(world.province)
    save = reverse("reviews:province_ranks", args=[world.batch.pk])
    client.post(f"{save}?passed=1", {f"rank_{passed[0].pk}": 2, f"rank_{passed[1].pk}": 3})
    client.post(f"{save}?passed=2", {f"rank_{passed[2].pk}": 1})
    assert _ranks(passed, "province_rank") == [2, 3, 1]

    services.province_select(user=world.province, application=passed[2])
    with pytest.raises(RuleViolation) as refused:
        services.province_select(user=world.province, application=passed[0])
    assert refused.value.rule == "R10"
    # The selected one keeps its rank: a page may not take it either.
    with pytest.raises(ValidationError, match="已用于已推荐至科技部的申报"):
        services.province_ranks_set(user=world.province, batch=world.batch, ranks={passed[0].pk: 1})
    assert _ranks(passed, "province_rank") == [2, 3, 1]


def test_saving_unit_ranks_on_page_2_keeps_the_ranks_of_page_1(world, client, two_per_page):
    recommended = _in(world, TO_STATE_RECOMMENDED, 4)
    client.force_login(world.recommender)
    page = reverse("reviews:recommender_batch", args=[world.batch.pk])
    save = reverse("reviews:recommender_ranks", args=[world.batch.pk])

    html = client.get(page).content.decode()
    assert html.count('name="rank_') == 2 and _fields(html, recommended)[:2] == [True, True]
    client.post(f"{save}?ranks=1", {f"rank_{recommended[0].pk}": 2, f"rank_{recommended[1].pk}": 1})
    assert _fields(client.get(f"{page}?ranks=2").content.decode(), recommended) == [False, False, True, True]
    response = client.post(
        f"{save}?ranks=2", {f"rank_{recommended[2].pk}": 4, f"rank_{recommended[3].pk}": 3}
    )
    assert response.status_code == 302 and response["Location"].endswith("?ranks=2#ranks")
    assert _ranks(recommended, "recommender_rank") == [2, 1, 4, 3]

    submission = selectors.unit_submission_current(world.batch, world.unit)
    with pytest.raises(ValidationError, match="已用于其他页的申报"):
        services.recommender_ranks_set(
            user=world.recommender, submission=submission, ranks={recommended[3].pk: 1}
        )
    # Ranks are moved by freeing them first, page by page.
    services.recommender_ranks_set(
        user=world.recommender, submission=submission, ranks={recommended[1].pk: None}
    )
    services.recommender_ranks_set(
        user=world.recommender, submission=submission, ranks={recommended[3].pk: 1}
    )
    assert _ranks(recommended, "recommender_rank") == [2, None, 4, 1]
