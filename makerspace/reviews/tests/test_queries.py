"""Queue pages hold a fixed number of queries whatever the number of applications."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.workflow import State
from makerspace.reviews import services
from makerspace.reviews.models import MaterialCheck, PaperReceipt, UnitSubmission

pytestmark = pytest.mark.django_db

TO_STATE = {
    State.AT_SUPERVISOR: (),
    State.AT_RECOMMENDER: ("forward",),
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
