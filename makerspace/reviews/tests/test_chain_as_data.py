"""The review chain as data: what was seen when a batch left the happy path, each fixed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from makerspace.accounts.models import Role
from makerspace.applications import services as applications
from makerspace.applications.workflow import State
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import BatchFactory, UserFactory, World
from makerspace.credit.models import CreditRecord
from makerspace.credit.services import credit_record_add
from makerspace.reviews import chain, selectors, services
from makerspace.reviews.checklists import checklist
from makerspace.reviews.models import DocumentOpen, Review, UnitSubmission

pytestmark = pytest.mark.django_db


def test_firing_transitions_directly_cannot_skip_the_review_the_attestation_or_the_credit_check(world):
    """What was seen: `application_transition` checked only state and role, so forward then
    recommend reached 推荐单位已推荐 with no review, no 附件5 and no R8 check."""
    application = world.submitted()
    with pytest.raises(RuleViolation) as refused:
        applications.application_transition(user=world.supervisor, application=application, name="forward")
    assert refused.value.rule in {"R3", "R6"}
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    chain.forward(application, world.supervisor)
    with pytest.raises(RuleViolation) as refused:
        applications.application_transition(user=world.recommender, application=application, name="recommend")
    assert refused.value.rule == "R6"
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER


def test_a_superuser_is_asked_the_same_rules_as_everyone(world, client):
    """What was seen: the demo admin, a Django superuser, published an application."""
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    (application,) = world.delivered()
    assert not admin.has_perm("applications.publish", application)
    assert not admin.has_perm("batches.extend_deadline", world.batch)
    assert not admin.has_perm("reviews.publish_list", world.batch)
    client.force_login(admin)
    client.post(reverse("reviews:ministry_publish", args=[world.batch.pk]), {"title": "名单"})
    application.refresh_from_db()
    assert application.state == State.DELIVERED


def test_the_review_page_and_the_unit_batch_page_write_nothing_on_get(world, client):
    """What was seen: the review page's GET created a Review and an audit row; the unit batch
    page's GET created a UnitSubmission."""
    from makerspace.audit.models import AuditEvent

    application = world.forwarded()
    client.force_login(world.recommender)
    reviews, audit = Review.objects.count(), AuditEvent.objects.count()
    assert client.get(reverse("reviews:review", args=[application.pk])).status_code == 200
    assert client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).status_code == 200
    assert Review.objects.count() == reviews
    assert AuditEvent.objects.count() == audit
    assert not UnitSubmission.objects.filter(batch=world.batch).exists()


def test_r6_every_document_includes_the_generated_attachment_2_and_3(world):
    """What was seen: R6 counted only the uploaded scans; a unit decided without opening 附件2/3."""
    application = world.forwarded()
    titles = [d.title for d in selectors.documents_to_open(application, "recommender")]
    assert any(t.startswith("附件2") for t in titles) and any(t.startswith("附件3") for t in titles)
    review = services.review_start(user=world.recommender, application=application)
    chain.open_documents(application, world.recommender, "recommender")
    form = next(
        d for d in selectors.documents_to_open(application, "recommender") if d.key.startswith("form:")
    )
    DocumentOpen.objects.filter(reviewer=world.recommender, document_key=form.key).delete()
    services.judgements_save(
        user=world.recommender,
        review=review,
        entries={item.code: ("meets", "属实") for item in checklist("recommender")},
    )
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "R6" and "附件" in refused.value.message


def test_r8_a_ban_stops_the_applicants_other_applications_at_selection(world):
    """What was seen: a unit banned by R7 kept its other applications moving; the province could
    still select them."""
    application = world.formal_passed()
    credit_record_add(
        user=world.province,
        credit_code=application.space.organisation.credit_code,
        subject_name=application.space.organisation.name,
        kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        reason="另一申报弄虚作假",
        source_document="测试",
        starts_on=date.today(),
        ends_on=date(date.today().year + 2, 12, 31),
    )
    services.province_ranks_set(user=world.province, batch=world.batch, ranks={application.pk: 1})
    application.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        services.province_select(user=world.province, application=application)
    assert refused.value.rule == "R8"
    application.refresh_from_db()
    assert application.state == State.FORMAL_PASSED


def test_the_regional_quota_caps_how_many_one_unit_recommends():
    """What was seen: `Batch.regional_quota_percent` was never read."""
    world = World(batch=BatchFactory(regional_quota_percent=50))
    first, second = world.forwarded(), world.forwarded()
    chain.decide(first, world.recommender, "recommend")
    review = chain.judge_all(second, world.recommender)
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert refused.value.rule == "地区比例" and "最多推荐1项" in refused.value.message


def test_a_published_space_can_be_revoked_with_a_reason_and_the_list_shows_it(world, client):
    """What was seen: a filed space could never be revoked."""
    application = world.formal_passed()
    world.advance(application, "select", "file", "publish")
    assert application.state == State.PUBLISHED
    assert not world.province.has_perm("applications.revoke", application)  # the batch says ministry
    services.application_revoke(user=world.ministry, application=application, reason="连续两年未报送年度报告")
    application.refresh_from_db()
    assert application.state == State.REVOKED
    assert application.get_state_display() == "已撤销备案"


def test_a_flag_of_the_receiving_party_goes_back_to_the_unit_as_a_task(world):
    """What was seen: the acceptance unit flagged 推荐函未加盖公章 and the unit could do nothing."""
    (application,) = world.delivered()
    check = services.material_check_record(
        user=world.acceptance,
        application=application,
        missing=["recommendation_letter"],
        note="推荐函未加盖公章",
    )
    submission = selectors.delivery_of(application)
    services.unit_letter_upload(user=world.recommender, submission=submission, upload=chain.scan("sealed"))
    services.flag_answer(user=world.recommender, check=check, answer="已重新上传加盖公章的推荐函。")
    check.refresh_from_db()
    assert check.answered_by == world.recommender and "公章" in check.answer
    second = world.delivered()[0]
    services.material_check_record(
        user=world.acceptance, application=second, missing=["applicant_commitment"], note="附件4未盖章"
    )
    services.delivery_recall(user=world.recommender, application=second, reason="退回申报单位补盖公章")
    second.refresh_from_db()
    assert second.state == State.RECOMMENDED


def test_a_chain_without_the_supervisor_where_the_province_receives_the_sets():
    """The second chain configuration: 推荐单位 → 省科技厅 receipt → formal review → 择优 → 科技部."""
    world = World(batch=BatchFactory(chain="province_receipt"))
    application = world.submitted()
    assert application.state == State.AT_RECOMMENDER
    assert application.reached_level == 2
    chain.decide(application, world.recommender, "recommend")
    chain.deliver([application], world.recommender)
    application.refresh_from_db()
    assert application.get_state_display() == "已报送省科技厅"
    with pytest.raises(PermissionDenied):  # the acceptance unit holds no step of this chain
        chain.receive(application, world.acceptance)
    chain.receive(application, world.province)
    chain.decide(application, world.province, "pass")
    chain.select(application, world.province, 1)
    chain.file_and_publish([application], world.ministry)
    assert application.state == State.PUBLISHED


def test_a_disabled_select_says_why_from_the_rules_the_transition_checks(world, client):
    """What was seen: buttons shown or disabled from state strings, with no reason beside them."""
    from makerspace.applications.conditions import NO_PROVINCE_RANK
    from makerspace.core.tests.factories import login_verified

    passed = world.formal_passed()
    world.batch.quota = 0
    world.batch.save()
    login_verified(client, world.province)

    html = client.get(reverse("reviews:province_batch", args=[world.batch.pk])).content.decode()

    assert "“推荐”暂不可用" in html
    assert "本批次推荐名额为0个，已推荐0个，不能再推荐。" in html
    assert f'id="no-rank-{passed.pk}">{NO_PROVINCE_RANK}' in html
    # the same reason refuses the transition itself
    with pytest.raises(RuleViolation, match="择优推荐须先对形式审查通过的申报排序"):
        applications.application_transition(user=world.province, application=passed, name="select")


def test_a_disabled_delivery_lists_what_it_waits_for(world, client):
    from makerspace.core.tests.factories import login_verified

    world.forwarded()
    login_verified(client, world.recommender)

    html = client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).content.decode()
    reasons = html.split('id="submit-reasons"')[1].split("</ul>")[0]

    assert "尚有1项申报未作出审核结论。" in reasons
    assert "本批次尚无已推荐、待报送的申报。" in reasons
    assert "请先上传加盖公章的推荐函。" in reasons


def test_r10_r5_the_pages_select_reasons_are_the_batch_wide_conditions_that_refuse_select(world, client):
    """The reasons beside 推荐 and the refusal come from one declaration (`workflow.GUARDS`)."""
    from datetime import timedelta

    from django.utils import timezone

    from makerspace.applications import workflow
    from makerspace.batches.models import Kind
    from makerspace.core.tests.factories import login_verified

    passed = world.formal_passed()
    passed.province_rank = 1
    passed.save(update_fields=["province_rank"])
    world.batch.quota = 0
    world.batch.save()
    step = world.batch.step(Kind.SELECTION)
    step.deadline = timezone.now() - timedelta(days=1)
    step.save()
    world.batch.refresh_from_db()

    reasons = workflow.batch_unmet(world.batch, "select")
    assert [u.rule for u in reasons] == ["R5", "R10"]
    with pytest.raises(RuleViolation) as refused:
        applications.application_transition(user=world.province, application=passed, name="select")
    assert reasons[0].message in refused.value.message
    assert [u.message for u in workflow.unmet(passed, "select")] == [u.message for u in reasons]

    login_verified(client, world.province)
    html = client.get(reverse("reviews:province_batch", args=[world.batch.pk])).content.decode()
    for reason in reasons:
        assert reason.message in html
