"""推荐单位: the strict itemised review (R6, R9), ranking, the 推荐函 (R3), the deadline (R5)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.workflow import State
from makerspace.batches.models import Level as DeadlineLevel
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import UserFactory
from makerspace.reviews import chain, checklists, selectors, services
from makerspace.reviews.checklists import Stage, Verdict
from makerspace.reviews.models import Judgement, Review

pytestmark = pytest.mark.django_db


def _all(verdict=Verdict.MEETS, stage=Stage.RECOMMENDER):
    return {item.code: (verdict, f"{item.code} 已核查") for item in checklists.checklist(stage)}


def test_r9_checklist_is_the_guideline_seven_conditions_four_features_six_tasks():
    groups = dict(checklists.grouped(Stage.RECOMMENDER))
    assert [len(groups[g]) for g in ("基本条件", "主要特征", "主要任务")] == [7, 4, 6]
    texts = " ".join(item.text for item in checklists.RECOMMENDER_CHECKLIST)
    for phrase in ("聚焦明确的产业细分领域", "开放式的互联网线上平台", "创业导师", "拥有创新源头", "国际化"):
        assert phrase in texts
    codes = [item.code for item in checklists.RECOMMENDER_CHECKLIST]
    assert len(codes) == len(set(codes)) == 17


def test_r6_decision_locked_until_every_item_is_judged(world):
    application = world.forwarded()
    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    review = services.review_start(user=world.recommender, application=application)
    chain.open_documents(application, world.recommender, review.stage)
    partial = dict(list(_all().items())[:16])
    services.judgements_save(user=world.recommender, review=review, entries=partial)

    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "R6"
    assert "T6" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER
    review.refresh_from_db()
    assert review.decision == ""

    services.judgements_save(user=world.recommender, review=review, entries=_all())
    services.review_decide(user=world.recommender, review=review, decision="recommend")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_r6_decision_locked_until_every_document_is_opened_by_this_reviewer(world):
    application = world.forwarded()
    colleague = UserFactory(role="recommender", organisation=world.recommender.organisation)
    review = services.review_start(user=world.recommender, application=application)
    services.judgements_save(user=world.recommender, review=review, entries=_all())
    documents = selectors.documents_to_open(application, review.stage)
    titles = " ".join(d.title for d in documents)
    assert "申报单位信用承诺书" in titles and "主管部门信用承诺书" in titles

    chain.open_documents(application, colleague, review.stage)  # someone else's reading does not count
    for document in documents[:-1]:
        services.document_open_record(
            user=world.recommender, application=application, key=document.key, title=document.title
        )
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "R6"
    assert documents[-1].title in refused.value.message


def test_r6_decline_is_locked_too_but_a_return_for_completion_needs_only_its_reason(world):
    application = world.forwarded()
    services.reviewer_pledge_sign(user=world.recommender, batch=world.batch)
    review = services.review_start(user=world.recommender, application=application)
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="decline", comment="不符合")
    assert refused.value.rule == "R6"
    services.review_decide(
        user=world.recommender, review=review, decision="return", comment="缺少成功案例，请补正。"
    )
    application.refresh_from_db()
    assert application.state == State.RETURNED


def test_r6_opening_a_document_goes_through_the_permission_check_and_is_recorded(world, client):
    application = world.forwarded()
    document = selectors.documents_to_open(application, Stage.RECOMMENDER)[0]
    client.force_login(world.recommender)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert selectors.opened_keys(world.recommender, application, [document.key]) == {document.key}

    other_unit = UserFactory(role="recommender")
    client.force_login(other_unit)
    assert client.get(document.url).status_code == 404
    assert selectors.opened_keys(other_unit, application, [document.key]) == set()


def test_r6_review_page_shows_what_is_missing_and_disables_the_decision(world, client):
    application = world.forwarded()
    client.force_login(world.recommender)
    page = client.get(reverse("reviews:review", args=[application.pk])).content.decode()
    assert "还有 <strong>21</strong> 项未完成" in page  # 17 items + 附件2, 附件3 and 2 scans
    assert "disabled" in page.split('id="decision"')[1]


def test_r6_judgements_need_a_comment_and_are_frozen_after_the_decision(world):
    application = world.forwarded()
    review = services.review_start(user=world.recommender, application=application)
    with pytest.raises(ValidationError) as invalid:
        services.judgements_save(user=world.recommender, review=review, entries={"C1": (Verdict.MEETS, " ")})
    assert "C1" in invalid.value.message_dict

    review = chain.judge_all(application, world.recommender)
    services.review_decide(user=world.recommender, review=review, decision="recommend")
    review.refresh_from_db()
    assert review.decided_at is not None and review.reviewer == world.recommender
    from makerspace.core.errors import StateConflict

    with pytest.raises(StateConflict):
        services.judgements_save(user=world.recommender, review=review, entries=_all(Verdict.FAILS))
    assert Judgement.objects.filter(review=review, verdict=Verdict.MEETS).count() == 17


def test_r6_judgements_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    application = world.recommended()
    review = Review.objects.get(application=application, stage=Stage.RECOMMENDER)
    with pytest.raises(ProtectedError):
        review.delete()


def test_r9_a_failed_basic_condition_blocks_recommendation_but_not_decline(world):
    application = world.forwarded()
    review = chain.judge_all(application, world.recommender)
    services.judgements_save(
        user=world.recommender, review=review, entries={"C6": (Verdict.FAILS, "未设立创业投资基金。")}
    )
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "R9"
    with pytest.raises(ValidationError):
        services.review_decide(user=world.recommender, review=review, decision="decline")
    services.review_decide(
        user=world.recommender, review=review, decision="decline", comment="不具备投融资服务。"
    )
    application.refresh_from_db()
    assert application.state == State.DECLINED


def test_r9_a_failed_task_does_not_block_recommendation(world):
    application = world.forwarded()
    review = chain.judge_all(application, world.recommender)
    services.judgements_save(
        user=world.recommender, review=review, entries={"T6": (Verdict.FAILS, "国际化不足。")}
    )
    services.review_decide(user=world.recommender, review=review, decision="recommend")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_r3_unit_batch_cannot_be_submitted_without_the_recommendation_letter(world):
    application = world.recommended()
    submission = services.unit_submission_open(batch=world.batch, unit=world.unit)
    services.recommender_ranks_set(user=world.recommender, submission=submission, ranks={application.pk: 1})
    with pytest.raises(RuleViolation) as refused:
        services.unit_submit(user=world.recommender, submission=submission)
    assert refused.value.rule == "R3"
    assert "推荐函" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    submission.refresh_from_db()
    assert submission.submitted_at is None


def test_unit_submit_delivers_every_recommended_application_at_once(world):
    first, second = world.delivered(count=2)
    assert {first.state, second.state} == {State.DELIVERED}
    assert (first.recommender_rank, second.recommender_rank) == (1, 2)
    submission = selectors.unit_submission_current(world.batch, world.unit)
    assert submission.submitted_by == world.recommender


def test_an_application_still_under_review_follows_in_a_supplementary_delivery(world):
    recommended = world.recommended()
    pending = world.forwarded()
    chain.deliver([recommended], world.recommender)
    recommended.refresh_from_db()
    pending.refresh_from_db()
    assert (recommended.state, pending.state) == (State.DELIVERED, State.AT_RECOMMENDER)
    chain.decide(pending, world.recommender, "recommend")
    assert chain.deliver([pending], world.recommender).sequence == 2


def test_ranks_must_be_distinct(world):
    first, second = world.recommended(), world.recommended()
    submission = services.unit_submission_open(batch=world.batch, unit=world.unit)
    with pytest.raises(ValidationError):
        services.recommender_ranks_set(
            user=world.recommender, submission=submission, ranks={first.pk: 1, second.pk: 1}
        )
    with pytest.raises(ValidationError):
        services.unit_submit(user=world.recommender, submission=submission)


def test_a_delivery_that_went_is_locked_and_a_later_recommendation_goes_in_a_supplementary_delivery(world):
    (first,) = world.delivered()
    delivered = selectors.unit_submission_current(world.batch, world.unit)
    with pytest.raises(RuleViolation):
        services.recommender_ranks_set(user=world.recommender, submission=delivered, ranks={})
    with pytest.raises(RuleViolation):
        services.unit_letter_upload(user=world.recommender, submission=delivered, upload=chain.scan("x"))
    late = chain.decide(world.forwarded(), world.recommender, "recommend")
    assert late.state == State.RECOMMENDED
    supplementary = chain.deliver([late], world.recommender)
    late.refresh_from_db()
    assert late.state == State.DELIVERED
    assert supplementary.sequence == 2 and supplementary.pk != delivered.pk
    assert list(supplementary.applications.all()) == [late]
    assert list(delivered.applications.all()) == [first]


def test_returned_after_the_unit_delivered_reaches_the_unit_again_and_is_delivered_in_a_supplement(world):
    """What was seen: the unit returned an application, then delivered its batch; the resubmitted
    application stood 推荐单位审核中 for good because the unit's decision was refused."""
    returned, kept = world.recommended(), world.recommended()
    services.application_return(user=world.recommender, application=returned, comment="请补充入驻企业名单。")
    chain.deliver([kept], world.recommender)
    returned.refresh_from_db()
    assert returned.state == State.RETURNED
    from makerspace.applications import services as applications

    applications.commitment_sign(user=world.applicant, application=returned, signatory="王法人")
    applications.application_submit(user=world.applicant, application=returned)
    returned.refresh_from_db()
    chain.forward(returned, world.supervisor)
    chain.decide(returned, world.recommender, "recommend")
    chain.deliver([returned], world.recommender)
    returned.refresh_from_db()
    assert returned.state == State.DELIVERED
    assert selectors.delivery_of(returned).sequence == 2


def test_r5_unit_batch_locks_after_its_deadline_until_the_province_extends_it(world):
    application = world.recommended()
    submission = services.unit_submission_open(batch=world.batch, unit=world.unit)
    services.recommender_ranks_set(user=world.recommender, submission=submission, ranks={application.pk: 1})
    services.unit_letter_upload(user=world.recommender, submission=submission, upload=chain.scan("letter"))
    world.batch.steps.filter(kind="unit_review").update(deadline=timezone.now() - timedelta(minutes=1))
    world.batch._chain_cache = None
    submission.batch.refresh_from_db()
    submission.batch._extension_cache = None
    with pytest.raises(RuleViolation) as refused:
        services.unit_submit(user=world.recommender, submission=submission)
    assert refused.value.rule == "R5"
    assert "以服务器时间为准" in refused.value.message

    with pytest.raises(ValidationError):
        services.deadline_extend(
            user=world.province,
            batch=world.batch,
            level=DeadlineLevel.UNIT_REVIEW,
            recommending_unit=world.unit,
            new_deadline=timezone.now() + timedelta(days=2),
            reason=" ",
        )
    services.deadline_extend(
        user=world.province,
        batch=world.batch,
        level=DeadlineLevel.UNIT_REVIEW,
        recommending_unit=world.unit,
        new_deadline=timezone.now() + timedelta(days=2),
        reason="暴雨导致纸质材料寄送延误。",
    )
    submission = services.unit_submission_open(batch=world.batch, unit=world.unit)
    services.unit_submit(user=world.recommender, submission=submission)
    application.refresh_from_db()
    assert application.state == State.DELIVERED


def test_r5_only_the_province_extends_a_deadline(world):
    from django.core.exceptions import PermissionDenied

    for user in (world.recommender, world.acceptance, world.ministry, world.supervisor):
        with pytest.raises(PermissionDenied):
            services.deadline_extend(
                user=user,
                batch=world.batch,
                level=DeadlineLevel.UNIT_REVIEW,
                new_deadline=timezone.now() + timedelta(days=60),
                reason="理由",
            )
    with pytest.raises(ValidationError):
        services.deadline_extend(
            user=world.province,
            batch=world.batch,
            level=DeadlineLevel.UNIT_REVIEW,
            new_deadline=world.batch.step("unit_review").deadline - timedelta(days=1),
            reason="提前",
        )


def test_recommender_sees_only_its_own_jurisdiction(world, client):
    from makerspace.core.tests.factories import World

    other = World(batch=world.batch)
    theirs = other.forwarded()
    mine = world.forwarded()
    client.force_login(world.recommender)
    page = client.get(reverse("reviews:recommender_queue")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(reverse("reviews:review", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("reviews:review_decide", args=[theirs.pk]), {"decision": "recommend"}).status_code
        == 404
    )


def test_r6_a_resubmitted_version_is_read_again(world):
    from makerspace.applications.services import application_submit

    application = world.forwarded()
    chain.decide(application, world.recommender, "return", comment="请补充。")
    application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    chain.forward(application, world.supervisor)
    review = services.review_start(user=world.recommender, application=application)
    assert review.version_number == 2
    services.judgements_save(user=world.recommender, review=review, entries=_all())
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "R6"
    assert "尚未打开查阅" in refused.value.message  # opened for version 1, not since


def test_quick_return_for_completion_needs_no_full_itemised_review(world, client):
    """What was seen: a reviewer had to judge all 17 items before returning an obviously incomplete
    application; the permission module allowed the return and the service refused it."""
    application = world.forwarded()
    assert world.recommender.has_perm("applications.return_to_applicant", application)
    client.force_login(world.recommender)
    client.post(reverse("reviews:return", args=[application.pk]), {"comment": "缺少附件3第四章，请补正。"})
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.events.latest("at").comment == "缺少附件3第四章，请补正。"


def test_unit_may_take_back_a_recommendation_before_delivering(world):
    application = world.recommended()
    services.application_return(user=world.recommender, application=application, comment="发现案例数据有误。")
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.recommender_rank is None


def test_the_units_queue_shows_each_batchs_latest_delivery_that_went(world):
    """A supplementary delivery being prepared does not make a delivered batch read 未报送; once
    it goes, the queue names it, on every database alike."""
    world.delivered()
    first = selectors.unit_submission_current(world.batch, world.unit)
    late = chain.decide(world.forwarded(), world.recommender, "recommend")
    preparing = services.unit_submission_open(batch=world.batch, unit=world.unit)
    assert preparing.sequence == 2 and preparing.submitted_at is None

    def shown():
        (row,) = [
            b for b in selectors.recommender_batches(world.recommender) if b["batch"].pk == world.batch.pk
        ]
        return row["submission"].pk

    assert shown() == first.pk
    supplementary = chain.deliver([late], world.recommender)
    assert supplementary.pk == preparing.pk
    assert shown() == supplementary.pk
