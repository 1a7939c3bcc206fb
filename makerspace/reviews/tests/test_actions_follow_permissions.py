"""A page offers an action exactly where the server, asked the same permission and the same
transition, would carry it out: rows decide their buttons by the permission module and the state
machine (`core/templatetags/actions.py`, django-rules' `{% has_perm %}`), never by state strings."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from makerspace.applications.workflow import State
from makerspace.core.templatetags.actions import transition_action
from makerspace.reviews import selectors
from makerspace.scoring import services as scoring_services

pytestmark = pytest.mark.django_db


def test_unit_batch_rows_offer_return_where_the_transition_may_go(world, client):
    pending, recommended = world.forwarded(), world.recommended()
    client.force_login(world.recommender)
    page = client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).content.decode()
    for application in (pending, recommended):
        offered = reverse("reviews:return", args=[application.pk]) in page
        may_review = world.recommender.has_perm("reviews.review_application", application)
        shown = transition_action(world.recommender, application, "return_to_applicant").shown
        # The row offers the itemised review where it may be begun, else the return where it may go.
        assert offered == (shown and not may_review), application.state
    assert reverse("reviews:review", args=[pending.pk]) in page
    assert reverse("reviews:review", args=[recommended.pk]) not in page


def test_unit_batch_return_offered_is_carried_out(world, client):
    recommended = world.recommended()
    client.force_login(world.recommender)
    page = client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).content.decode()
    assert reverse("reviews:return", args=[recommended.pk]) in page
    client.post(reverse("reviews:return", args=[recommended.pk]), {"comment": "请补充场地证明。"})
    recommended.refresh_from_db()
    assert recommended.state == State.RETURNED


def test_receipt_rows_offer_check_and_receive_only_to_the_receiving_party(world, client):
    delivered = world.delivered()[0]
    client.force_login(world.acceptance)
    submission = selectors.delivery_of(delivered)
    page = client.get(reverse("reviews:acceptance_submission", args=[submission.pk])).content.decode()
    assert reverse("reviews:acceptance_check", args=[delivered.pk]) in page
    assert reverse("reviews:acceptance_receive", args=[delivered.pk]) in page
    world.advance(delivered, "receive")
    page = client.get(reverse("reviews:acceptance_submission", args=[submission.pk])).content.decode()
    assert reverse("reviews:acceptance_check", args=[delivered.pk]) not in page
    assert reverse("reviews:acceptance_receive", args=[delivered.pk]) not in page


def test_expert_assignment_offered_and_allowed_only_after_the_formal_review(world, client):
    passed = world.formal_passed()
    client.force_login(world.province)
    url = reverse("scoring:province_batch", args=[world.batch.pk])
    assignable = f'name="application" value="{passed.pk}"'
    assert assignable in client.get(url).content.decode()
    assert world.province.has_perm("scoring.assign_expert", passed)
    assert not world.recommender.has_perm("scoring.assign_expert", passed)
    world.advance(passed, "select")
    assert not world.province.has_perm("scoring.assign_expert", passed)
    assert assignable not in client.get(url).content.decode()
    with pytest.raises(Exception, match="只能为形式审查通过的申报分配专家"):
        scoring_services.assignment_create(user=world.province, application=passed, expert=world.expert)


# Display-only state tests (a label, a badge) are allowed; a state string beside a form is not.
STATE_TEST = re.compile(r"{%\s*(?:if|elif)\b[^%]*\.state\s*(?:==|!=|in)\b")


def test_no_template_decides_an_action_by_a_state_string():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if STATE_TEST.search(line) and re.search(r"<form|<button|href=", line.split("state", 1)[1]):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []
