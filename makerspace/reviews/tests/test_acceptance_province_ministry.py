"""受理单位, 省科技厅 and 科技部: R3 at receipt (e-set + 纸质一式两份), formal review, R10, publishing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from makerspace.applications.workflow import State
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import World
from makerspace.reviews import chain, services
from makerspace.reviews.checklists import FORMAL_CHECKLIST, Stage
from makerspace.reviews.checks import Material
from makerspace.reviews.selectors import documents_to_open

pytestmark = pytest.mark.django_db


def test_r3_receive_refused_until_set_confirmed_and_two_paper_copies_registered(world):
    (application,) = world.delivered()
    with pytest.raises(RuleViolation) as refused:
        services.application_receive(user=world.acceptance, application=application)
    assert refused.value.rule == "R3"
    assert "尚未确认电子材料齐全" in refused.value.message

    services.material_check_record(user=world.acceptance, application=application, missing=[])
    services.paper_receipt_register(
        user=world.acceptance, application=application, copies=1, received_on=date.today(), receiver="余子佳"
    )
    with pytest.raises(RuleViolation) as refused:
        services.application_receive(user=world.acceptance, application=application)
    assert "一式2份，已登记1份" in refused.value.message

    services.paper_receipt_register(
        user=world.acceptance, application=application, copies=1, received_on=date.today(), receiver="康亚飞"
    )
    services.application_receive(user=world.acceptance, application=application)
    application.refresh_from_db()
    assert application.state == State.RECEIVED


def test_r3_missing_items_are_flagged_on_the_units_page(world, client):
    (application,) = world.delivered()
    with pytest.raises(ValidationError):
        services.material_check_record(
            user=world.acceptance, application=application, missing=[Material.APPLICANT_COMMITMENT]
        )
    services.material_check_record(
        user=world.acceptance,
        application=application,
        missing=[Material.APPLICANT_COMMITMENT],
        note="附件4扫描件缺少公章，请补正。",
    )
    services.paper_receipt_register(
        user=world.acceptance, application=application, copies=2, received_on=date.today(), receiver="余子佳"
    )
    with pytest.raises(RuleViolation):
        services.application_receive(user=world.acceptance, application=application)

    client.force_login(world.recommender)
    page = client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).content.decode()
    assert "受理单位反馈的材料问题" in page
    assert "附件4扫描件缺少公章，请补正。" in page


def test_paper_receipt_date_cannot_be_in_the_future(world):
    (application,) = world.delivered()
    with pytest.raises(ValidationError):
        services.paper_receipt_register(
            user=world.acceptance,
            application=application,
            copies=2,
            received_on=date(2999, 1, 1),
            receiver="x",
        )


def test_formal_review_uses_its_own_checklist_and_must_open_the_letter(world):
    application = world.received()
    documents = documents_to_open(application, Stage.FORMAL)
    assert any(d.key.startswith("letter:") for d in documents)
    review = services.review_start(user=world.province, application=application)
    assert review.stage == Stage.FORMAL
    services.judgements_save(
        user=world.province,
        review=review,
        entries={item.code: ("meets", "符合") for item in FORMAL_CHECKLIST},
    )
    for document in documents:
        if not document.key.startswith("letter:"):
            services.document_open_record(
                user=world.province, application=application, key=document.key, title=document.title
            )
    with pytest.raises(RuleViolation) as refused:
        services.review_decide(user=world.province, review=review, decision="pass")
    assert refused.value.rule == "R6" and "推荐函" in refused.value.message
    with pytest.raises(ValidationError):
        chain.decide(application, world.province, "fail")
    chain.decide(application, world.province, "fail", comment="附件5未加盖公章。")
    assert application.state == State.FORMAL_FAILED


def test_r10_select_requires_a_rank_and_stays_within_the_quota(world):
    world.batch.quota = 1
    world.batch.save()
    first = world.formal_passed()
    second = World(batch=world.batch).formal_passed()  # a unit delivers its batch once: another unit
    # 择优 means ranked first.
    with pytest.raises(RuleViolation) as refused:
        services.province_select(user=world.province, application=first)
    assert refused.value.rule == "R10"
    services.province_ranks_set(user=world.province, batch=world.batch, ranks={first.pk: 1, second.pk: 2})
    first.refresh_from_db()
    second.refresh_from_db()
    services.province_select(user=world.province, application=first)
    with pytest.raises(RuleViolation) as refused:
        services.province_select(user=world.province, application=second)
    assert refused.value.rule == "R10"
    assert "名额为1个" in refused.value.message
    second.refresh_from_db()
    assert second.state == State.FORMAL_PASSED
    services.province_not_select(user=world.province, application=second, comment="名额已满。")
    second.refresh_from_db()
    assert second.state == State.NOT_RECOMMENDED


def test_r10_ranks_are_distinct_and_only_for_passed_applications(world):
    passed = world.formal_passed()
    with pytest.raises(ValidationError):
        services.province_ranks_set(user=world.province, batch=world.batch, ranks={passed.pk: 0})
    other = World(batch=world.batch).delivered()[0]
    with pytest.raises(ValidationError):
        services.province_ranks_set(user=world.province, batch=world.batch, ranks={other.pk: 1})


def test_r10_ministry_publishes_the_filed_spaces_on_the_public_site(world, client):
    published = world.formal_passed()
    refused = World(batch=world.batch).formal_passed()
    chain.select(published, world.province, 1)
    chain.select(refused, world.province, 2)
    services.ministry_not_file(user=world.ministry, application=refused, comment="专业化特征不明显。")
    chain.file_and_publish([published], world.ministry, title="第一批国家专业化众创空间备案名单")
    assert published.state == State.PUBLISHED

    client.logout()
    lists = client.get(reverse("public:lists"))
    assert lists.status_code == 200
    assert world.batch.title in lists.content.decode()
    page = client.get(reverse("public:list_detail", args=[world.batch.pk])).content.decode()
    assert "第一批国家专业化众创空间备案名单" in page
    assert published.space.name in page
    assert published.basic_info.operator_name in page
    assert world.unit.city in page
    assert refused.space.name not in page


def test_public_list_of_an_unpublished_batch_is_not_found(world, client):
    world.formal_passed()
    assert client.get(reverse("public:list_detail", args=[world.batch.pk])).status_code == 404
    assert client.get(reverse("public:list_detail", args=[99999])).status_code == 404


def test_publish_needs_filed_spaces_and_is_the_ministrys(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(ValidationError):
        services.list_publish(user=world.ministry, batch=world.batch, title="名单")
    with pytest.raises(PermissionDenied):
        services.list_publish(user=world.province, batch=world.batch, title="名单")


def test_province_extends_a_deadline_on_its_screen_with_a_reason(world, client):
    url = reverse("reviews:province_deadlines", args=[world.batch.pk])
    client.force_login(world.recommender)
    assert client.get(url).status_code == 403
    client.force_login(world.province)
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "unit_review", "new_deadline": "2999-07-20T17:00", "reason": ""})
    assert response.status_code == 400
    assert world.batch.extensions.count() == 0
    response = client.post(
        url,
        {
            "level": "unit_review",
            "recommending_unit": world.unit.pk,
            "new_deadline": "2999-07-20T17:00",
            "reason": "防汛抢险，纸质材料寄送受阻。",
        },
    )
    assert response.status_code == 302
    extension = world.batch.extensions.get()
    assert (extension.granted_by, extension.recommending_unit) == (world.province, world.unit)
    assert "防汛抢险" in client.get(url).content.decode()
