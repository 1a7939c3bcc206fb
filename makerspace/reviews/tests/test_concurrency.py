"""Two reviewers deciding the same application at once: one wins, the other is told, nothing is
half-written."""

import pytest

from makerspace.applications.models import Application
from makerspace.applications.workflow import State
from makerspace.core.errors import StateConflict
from makerspace.core.tests.factories import UserFactory
from makerspace.reviews import chain, services
from makerspace.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_two_recommending_reviewers_decide_at_once_one_wins(world):
    application = world.forwarded()
    colleague = UserFactory(role="recommender", organisation=world.recommender.organisation)
    # Both load the page while the application is still awaiting review.
    mine = Application.objects.get(pk=application.pk)
    theirs = Application.objects.get(pk=application.pk)
    my_review = chain.judge_all(mine, world.recommender)
    their_review = chain.judge_all(theirs, colleague)

    services.review_decide(user=world.recommender, review=my_review, decision="recommend")
    with pytest.raises(StateConflict) as lost:
        services.review_decide(
            user=colleague, review=their_review, decision="decline", comment="不符合条件。"
        )

    assert "刚刚已被他人处理" in str(lost.value)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert list(application.events.values_list("transition", flat=True)[:1]) == ["recommend"]
    assert application.events.filter(transition="decline").count() == 0
    their_review = Review.objects.get(pk=their_review.pk)
    assert their_review.decision == "" and their_review.decided_at is None
    assert Review.objects.get(pk=my_review.pk).decision == "recommend"


def test_two_supervisor_staff_forward_and_return_at_once(world):
    application = world.submitted()
    colleague = UserFactory(role="supervisor", organisation=world.supervisor.organisation)
    services.supervisor_commitment_upload(
        user=world.supervisor, application=application, upload=chain.scan("c5")
    )
    chain.judge_all(application, world.supervisor)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)

    services.application_return(user=colleague, application=second, comment="请补充材料。")
    with pytest.raises(StateConflict):
        services.supervisor_forward(user=world.supervisor, application=first)
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.events.filter(transition="forward").count() == 0
