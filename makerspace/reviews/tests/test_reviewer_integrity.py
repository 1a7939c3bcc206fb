"""The reviewers' own integrity (the notice, 三.2: 六项承诺, 八个严禁, no 审核走过场): before a
reviewer's first decision in a batch it signs the batch's pledge; a reviewer who declares a
conflict of interest cannot decide that application, and another reviewer of the unit must; the
province sees pledges and declarations per batch."""

import pytest
from django.urls import reverse

from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import UserFactory, login_verified
from makerspace.reviews import chain, services
from makerspace.reviews.models import ReviewerConflict, ReviewerPledge

pytestmark = pytest.mark.django_db


def judged(application, reviewer):
    """Every document opened and every item judged, without the pledge the chain helper signs."""
    from makerspace.reviews.checklists import Verdict, checklist

    review = services.review_start(user=reviewer, application=application)
    chain.open_documents(application, reviewer, review.stage)
    services.judgements_save(
        user=reviewer,
        review=review,
        entries={item.code: (Verdict.MEETS, "经核查属实。") for item in checklist(review.stage)},
    )
    return review


def test_a_reviewer_signs_the_batch_pledge_before_its_first_decision(world, client):
    application = world.forwarded()
    review = judged(application, world.recommender)

    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "诚信承诺"
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER

    # the review page says why, with the way to the pledge
    login_verified(client, world.recommender)
    html = client.get(reverse("reviews:review", args=[application.pk])).content.decode()
    assert "请先签署" in html and reverse("reviews:pledge", args=[world.batch.pk]) in html

    world.batch.reviewer_pledge = "本批次承诺：严禁审核走过场。"
    world.batch.save()
    response = client.post(reverse("reviews:pledge", args=[world.batch.pk]), {"accept": "on"})
    assert response.status_code == 302
    pledge = ReviewerPledge.objects.get(batch=world.batch, reviewer=world.recommender)
    assert pledge.text == "本批次承诺：严禁审核走过场。"  # kept as it read when signed
    assert AuditEvent.objects.filter(action="review.pledge_sign", actor=world.recommender).exists()

    services.review_decide(user=world.recommender, review=review, decision="recommend")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_the_pledge_needs_the_box_ticked(world, client):
    login_verified(client, world.recommender)
    response = client.post(reverse("reviews:pledge", args=[world.batch.pk]), {})
    assert response.status_code == 400
    assert not ReviewerPledge.objects.exists()


def test_a_conflicted_reviewer_cannot_decide_and_a_colleague_of_the_unit_must(world, client):
    application = world.forwarded()
    colleague = UserFactory(role="recommender", organisation=world.recommender.organisation)
    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    review = judged(application, world.recommender)

    login_verified(client, world.recommender)
    response = client.post(
        reverse("reviews:conflict_declare", args=[application.pk]),
        {"kind": ReviewerConflict.Kind.FORMER_EMPLOYER, "detail": "2023年前在该运营主体任职"},
    )
    assert response.status_code == 302
    with pytest.raises(RuleViolation, match="回避"):
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    html = client.get(reverse("reviews:review", args=[application.pk])).content.decode()
    assert "须回避" in html

    chain.decide(application, colleague, "recommend")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_a_conflict_is_declared_only_by_the_party_holding_the_step(world, client):
    application = world.forwarded()
    for user in (world.supervisor, world.province, world.applicant):
        client.force_login(user)
        response = client.post(
            reverse("reviews:conflict_declare", args=[application.pk]), {"kind": "interest", "detail": "x"}
        )
        assert response.status_code in (403, 404)
    assert not ReviewerConflict.objects.exists()


def test_the_province_sees_pledges_and_declarations_per_batch(world, client):
    application = world.forwarded()
    colleague = UserFactory(role="recommender", organisation=world.recommender.organisation)
    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    services.reviewer_conflict_declare(
        user=world.recommender, application=application, kind="family", detail="配偶持有该公司股份"
    )
    chain.decide(application, colleague, "recommend")

    login_verified(client, world.province)
    html = client.get(reverse("reviews:pledges", args=[world.batch.pk])).content.decode()
    assert str(world.recommender) in html and str(colleague) in html
    assert "配偶持有该公司股份" in html and application.number in html
    client.force_login(world.recommender)
    assert client.get(reverse("reviews:pledges", args=[world.batch.pk])).status_code == 403


def decided(review, decision):
    """The review's decision as it is recorded, without carrying it out."""
    from django.utils import timezone

    review.decision, review.decided_at = decision, timezone.now()
    review.save(update_fields=["decision", "decided_at"])
    return review


def test_integrity_is_a_condition_of_the_transition_so_firing_it_without_the_pledge_is_refused(world):
    from makerspace.applications.services import application_transition

    application = world.forwarded()
    review = decided(judged(application, world.recommender), "recommend")
    with pytest.raises(RuleViolation) as refused:
        application_transition(user=world.recommender, application=application, name="recommend")
    assert refused.value.rule == "诚信承诺"
    assert "请先签署" in refused.value.message
    decided(review, "return")
    with pytest.raises(RuleViolation) as refused:
        application_transition(
            user=world.recommender, application=application, name="return_to_applicant", comment="请补充。"
        )
    assert refused.value.rule == "诚信承诺"
    decided(review, "recommend")
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER

    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    application_transition(user=world.recommender, application=application, name="recommend")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def pledged_and_decided(world):
    """A review decided 推荐 by a reviewer who signed the pledge, not yet carried out."""
    application = world.forwarded()
    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    decided(judged(application, world.recommender), "recommend")
    return application


def test_integrity_is_a_condition_of_the_transition_so_a_declared_conflict_refuses_it(world):
    from makerspace.applications.services import application_transition

    application = pledged_and_decided(world)
    services.reviewer_conflict_declare(
        user=world.recommender, application=application, kind=ReviewerConflict.Kind.INTEREST, detail="亲属"
    )
    with pytest.raises(RuleViolation) as refused:
        application_transition(user=world.recommender, application=application, name="recommend")
    assert refused.value.rule == "诚信承诺"
    assert "回避" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER


def test_integrity_cannot_be_skipped_by_firing_the_transition_with_no_actor(world):
    from django_fsm import TransitionNotAllowed

    from makerspace.applications import workflow

    application = pledged_and_decided(world)
    assert [u.rule for u in workflow.unmet(application, "recommend")] == ["诚信承诺"]
    assert workflow.unmet(application, "recommend", world.recommender) == []
    with pytest.raises(TransitionNotAllowed):
        application.recommend()


def test_a_quick_return_needs_no_pledge_but_a_declared_conflict_refuses_it(world):
    """退回补正 decides no review, so it asks no pledge; the reviewer who declared a conflict with
    the application stays out of it all the same, and a colleague of the unit returns it."""
    application = world.forwarded()
    services.reviewer_conflict_declare(
        user=world.recommender, application=application, kind=ReviewerConflict.Kind.INTEREST, detail="亲属"
    )
    with pytest.raises(RuleViolation) as refused:
        services.application_return(user=world.recommender, application=application, comment="请补充材料。")
    assert refused.value.rule == "诚信承诺"
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER
    colleague = UserFactory(role=world.recommender.role, organisation=world.recommender.organisation)
    services.application_return(user=colleague, application=application, comment="请补充材料。")
    application.refresh_from_db()
    assert application.state == State.RETURNED
