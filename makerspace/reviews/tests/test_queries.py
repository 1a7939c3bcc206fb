"""Queue pages hold a fixed number of queries whatever the number of applications."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.models import Application
from makerspace.applications.workflow import State
from makerspace.reviews import selectors, services
from makerspace.reviews.models import MaterialCheck, PaperReceipt, UnitSubmission

pytestmark = pytest.mark.django_db

TO_STATE = {
    State.AT_SUPERVISOR: (),
    State.AT_RECOMMENDER: ("forward",),
    State.RECOMMENDED: ("forward", "recommend"),
    State.DELIVERED: ("forward", "recommend", "deliver"),
    State.RECEIVED: ("forward", "recommend", "deliver", "receive"),
    State.FORMAL_PASSED: ("forward", "recommend", "deliver", "receive", "pass_formal_review"),
    State.RECOMMENDED_TO_MINISTRY: (
        "forward",
        "recommend",
        "deliver",
        "receive",
        "pass_formal_review",
        "select",
    ),
    State.PUBLISHED: (
        "forward",
        "recommend",
        "deliver",
        "receive",
        "pass_formal_review",
        "select",
        "file",
        "publish",
    ),
}


def _add(world, state: str, count: int) -> None:
    """Applications in `state`, made by the real services; the transitions are fired directly
    because this test is about the pages' queries, not the rules (tested elsewhere)."""
    for _ in range(count):
        application = world.advance(world.submitted(), *TO_STATE[state])
        if state == State.DELIVERED:
            MaterialCheck.objects.create(application=application, missing=[], checked_by=world.acceptance)
            PaperReceipt.objects.create(
                application=application,
                copies=2,
                received_on=date.today(),
                receiver="x",
                registered_by=world.acceptance,
            )
        if state == State.PUBLISHED:
            publication = world.batch.publications.first() or services.Publication.objects.create(
                batch=world.batch, title="名单", published_by=world.ministry
            )
            publication.applications.add(application)


def _count(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("supervisor", State.AT_SUPERVISOR, lambda w, s: reverse("reviews:supervisor_queue")),
    ("recommender", State.AT_RECOMMENDER, lambda w, s: reverse("reviews:recommender_queue")),
    (
        "recommender",
        State.AT_RECOMMENDER,
        lambda w, s: reverse("reviews:recommender_batch", args=[w.batch.pk]),
    ),
    ("acceptance", State.DELIVERED, lambda w, s: reverse("reviews:acceptance_queue")),
    ("acceptance", State.DELIVERED, lambda w, s: reverse("reviews:acceptance_submission", args=[s.pk])),
    ("province", State.FORMAL_PASSED, lambda w, s: reverse("reviews:province_queue")),
    ("province", State.FORMAL_PASSED, lambda w, s: reverse("reviews:province_batch", args=[w.batch.pk])),
    (
        "ministry",
        State.RECOMMENDED_TO_MINISTRY,
        lambda w, s: reverse("reviews:ministry_batch", args=[w.batch.pk]),
    ),
    (None, State.PUBLISHED, lambda w, s: reverse("public:list_detail", args=[w.batch.pk])),
]


@pytest.mark.parametrize(("role", "state", "url_for"), PAGES)
def test_queue_pages_hold_a_fixed_number_of_queries(world, client, role, state, url_for):
    submission = UnitSubmission.objects.create(
        batch=world.batch,
        recommending_unit=world.unit,
        submitted_at=timezone.now(),
        submitted_by=world.recommender,
    )
    if role:
        client.force_login(getattr(world, role))
    _add(world, state, 3)
    url = url_for(world, submission)
    few = _count(client, url)
    _add(world, state, 27)
    many = _count(client, url)
    assert few == many, f"{url}: {few} queries with 3 applications, {many} with 30"


# The list pages show a page of rows (or one per section), whatever the number of applications.

PAGINATED = [
    ("supervisor", State.AT_SUPERVISOR, lambda w: reverse("reviews:supervisor_queue"), "page"),
    ("recommender", State.AT_RECOMMENDER, lambda w: reverse("reviews:recommender_queue"), "page"),
    (
        "recommender",
        State.AT_RECOMMENDER,
        lambda w: reverse("reviews:recommender_batch", args=[w.batch.pk]),
        "page",
    ),
    (
        "recommender",
        State.RECOMMENDED,
        lambda w: reverse("reviews:recommender_batch", args=[w.batch.pk]),
        "ranks",
    ),
    (
        "province",
        State.FORMAL_PASSED,
        lambda w: reverse("reviews:province_batch", args=[w.batch.pk]),
        "passed",
    ),
    (
        "ministry",
        State.RECOMMENDED_TO_MINISTRY,
        lambda w: reverse("reviews:ministry_batch", args=[w.batch.pk]),
        "pending",
    ),
]


def _shown(client, url: str) -> tuple[int, str]:
    """How many of the applications appear on the page (by their space's name), and the page."""
    html = client.get(url).content.decode()
    names = Application.objects.values_list("space__name", flat=True)
    return sum(name in html for name in names), html


@pytest.mark.parametrize(("role", "state", "url_for", "param"), PAGINATED)
def test_list_pages_show_one_page_of_rows_for_a_fixed_number_of_queries(
    world, client, monkeypatch, role, state, url_for, param
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10)
    client.force_login(getattr(world, role))
    url = url_for(world)
    _add(world, state, 3)
    few = _count(client, url)
    assert _shown(client, url)[0] == 3
    _add(world, state, 27)
    many = _count(client, url)
    assert few == many, f"{url}: {few} queries with 3 applications, {many} with 30"

    shown, html = _shown(client, url)
    assert shown == 10
    assert f"{param}=3" in html and f"{param}=4" not in html  # 30 rows: three pages
    last_shown, last_html = _shown(client, f"{url}?{param}=3")
    assert "共30项，第3/3页" in last_html
    if param in ("ranks", "passed"):  # the ranking form covers the page's rows only
        assert html.count('name="rank_') == last_html.count('name="rank_') == 10
    else:
        assert last_shown == 10


def test_supervisor_queue_at_120_applications_shows_50_in_as_many_queries_as_at_3(world, client):
    client.force_login(world.supervisor)
    url = reverse("reviews:supervisor_queue")
    _add(world, State.AT_SUPERVISOR, 3)
    few = _count(client, url)
    _add(world, State.AT_SUPERVISOR, 117)
    assert _count(client, url) == few
    shown, html = _shown(client, url)
    assert shown == selectors.PAGE_SIZE == 50
    assert "待审核：120 项" in html


def test_units_page_flags_applications_by_their_latest_check_only(world, client):
    _add(world, State.DELIVERED, 2)
    first, second = Application.objects.filter(state=State.DELIVERED).order_by("pk")
    MaterialCheck.objects.create(
        application=first, missing=["applicant_commitment"], checked_by=world.acceptance
    )
    MaterialCheck.objects.create(
        application=second, missing=["applicant_commitment"], checked_by=world.acceptance
    )
    MaterialCheck.objects.create(application=second, missing=[], note="已补正", checked_by=world.acceptance)

    client.force_login(world.recommender)
    page = selectors.unit_flagged_rows(selectors.unit_submission_current(world.batch, world.unit))
    assert [a.pk for a in page] == [first.pk]
    html = client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).content.decode()
    flagged = html.split('id="flagged"')[1].split("</section>")[0]
    assert first.number in flagged and second.number not in flagged


# The deadline rush's review pages (issue 14), at two data sizes: the queries each costs, pinned.
RUSH_PAGES = [
    ("supervisor", State.AT_SUPERVISOR, lambda w, a: reverse("reviews:supervisor_queue"), 8),
    # 10 before: the last version the department acted on is found among the timeline's events.
    ("supervisor", State.AT_SUPERVISOR, lambda w, a: reverse("reviews:supervisor_detail", args=[a.pk]), 9),
    # 10 before: the queue's size is now the batch list's counts summed, not a COUNT of its own.
    ("recommender", State.AT_RECOMMENDER, lambda w, a: reverse("reviews:recommender_queue"), 9),
    # 16 before: the reviewer's pledge and conflict are read in one query, and the own review with
    # the earlier ones (and its reviewer with it). 14 before: the version under review is read
    # with its number, and without its application's id loaded after it (two deferred loads).
    ("recommender", State.AT_RECOMMENDER, lambda w, a: reverse("reviews:review", args=[a.pk]), 12),
    # 11 before: the delivery record is found by the unit's id and brings its unit (no unit read).
    (
        "recommender",
        State.AT_RECOMMENDER,
        lambda w, a: reverse("reviews:recommender_batch", args=[w.batch.pk]),
        10,
    ),
    # This world's chain holds no 公示 at the selection (the 公示's reads: test_publicity.py).
    ("province", State.FORMAL_PASSED, lambda w, a: reverse("reviews:province_batch", args=[w.batch.pk]), 11),
]


@pytest.mark.parametrize(("role", "state", "url_for", "expected"), RUSH_PAGES)
def test_rush_review_pages_cost_their_pinned_queries_at_3_and_30_applications(
    world, client, role, state, url_for, expected
):
    UnitSubmission.objects.create(batch=world.batch, recommending_unit=world.unit)
    client.force_login(getattr(world, role))
    _add(world, state, 3)
    url = url_for(world, Application.objects.filter(state=state).order_by("pk").first())
    assert _count(client, url) == expected
    _add(world, state, 27)
    assert _count(client, url) == expected
