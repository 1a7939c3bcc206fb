"""The review-quality report: time spent, documents opened, items commented, reversals; reviews
that open nothing or finish in under a minute stand out."""

from datetime import timedelta

import pytest
from django.urls import reverse

from makerspace.applications import services as application_services
from makerspace.credit.quality import review_quality
from makerspace.reviews.models import DocumentOpen, Review
from makerspace.reviews.selectors import documents_to_open

pytestmark = pytest.mark.django_db


def test_fast_reviews_and_reviews_opening_nothing_stand_out(world):
    careful = world.recommended()
    review = Review.objects.get(application=careful, stage="recommender")
    Review.objects.filter(pk=review.pk).update(started_at=review.decided_at - timedelta(minutes=25))
    hasty = world.recommended()
    hasty_review = Review.objects.get(application=hasty, stage="recommender")
    DocumentOpen.objects.filter(application=hasty).delete()

    [row] = [r for r in review_quality() if r.reviewer == world.recommender]
    by_application = {r.review.application_id: r for r in row.reviews}
    assert not by_application[careful.pk].flagged
    assert by_application[careful.pk].opened == len(documents_to_open(careful, review.stage))
    assert by_application[careful.pk].commented == 17
    assert by_application[hasty.pk].opened_nothing and by_application[hasty.pk].fast
    assert by_application[hasty.pk].flagged and hasty_review.pk == by_application[hasty.pk].review.pk
    assert row.flagged == 1


def test_a_recommendation_returned_higher_up_counts_as_reversed(world):
    application = world.received()
    application_services.application_transition(
        user=world.province, application=application, name="return_to_applicant", comment="数据不实"
    )
    [row] = [r for r in review_quality() if r.reviewer == world.recommender]
    assert row.reversed == 1
    assert "退回修改" in row.reviews[0].reversed_by


def test_report_page_highlights_and_is_for_the_province(world, client):
    world.recommended()
    client.force_login(world.province)
    page = client.get(reverse("credit:review_quality")).content.decode()
    assert 'class="flagged"' in page and "不足1分钟" in page
    client.force_login(world.recommender)
    assert client.get(reverse("credit:review_quality")).status_code == 403
