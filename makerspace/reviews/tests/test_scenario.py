"""One application through every level to the public list, on the screens each party uses,
including a return by the recommending unit and the resubmitted version climbing again."""

import pytest
from django.urls import reverse

from makerspace.applications import services as application_services
from makerspace.applications.workflow import State
from makerspace.reviews import selectors
from makerspace.reviews.checklists import Stage, checklist
from makerspace.reviews.models import Review

pytestmark = pytest.mark.django_db


def _scan(name: str):
    from makerspace.reviews.chain import scan

    return scan(name)


def _open_and_judge(client, application, stage, judgement="meets"):
    application.refresh_from_db()
    # the reviewer's integrity pledge for the batch, on its page, before the first decision
    pledge_url = reverse("reviews:pledge", args=[application.batch_id])
    if "签署承诺" in client.get(pledge_url).content.decode():
        assert client.post(pledge_url, {"accept": "on"}).status_code == 302
    for document in selectors.documents_to_open(application, stage):
        assert client.get(document.url).status_code == 200
    data = {}
    for item in checklist(stage):
        data[f"{item.code}_verdict"] = judgement
        data[f"{item.code}_comment"] = f"{item.code}：已对照材料核实。"
    response = client.post(reverse("reviews:review", args=[application.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _decide(client, application, decision, comment="", refused_by=None):
    response = client.post(
        reverse("reviews:review_decide", args=[application.pk]), {"decision": decision, "comment": comment}
    )
    if refused_by:
        assert response.status_code == 400
        assert f"（{refused_by}）" in response.content.decode()
    else:
        assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()


def test_one_application_climbs_every_level_to_the_public_list(world, client):
    application = world.submitted()

    # 主管部门: the credit check is shown, forward is refused before 附件5, then signed and forwarded.
    client.force_login(world.supervisor)
    assert client.get(reverse("core:home")).url == reverse("reviews:supervisor_queue")
    assert application.number in client.get(reverse("reviews:supervisor_queue")).content.decode()
    assert (
        "无不良信用记录"
        in client.get(reverse("reviews:supervisor_detail", args=[application.pk])).content.decode()
    )
    client.post(reverse("reviews:supervisor_forward", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    response = client.post(
        reverse("reviews:supervisor_commitment", args=[application.pk]), {"file": _scan("c5")}
    )
    assert response.status_code == 302
    client.post(reverse("reviews:supervisor_forward", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR  # refused: 附件5's commitments not checked (R6)
    _open_and_judge(client, application, Stage.SUPERVISOR)
    _decide(client, application, "forward")
    assert application.state == State.AT_RECOMMENDER

    # 推荐单位: strict review, then a return with comments.
    client.force_login(world.recommender)
    assert application.number in client.get(reverse("reviews:recommender_queue")).content.decode()
    _decide(client, application, "recommend", refused_by="R6")
    assert application.state == State.AT_RECOMMENDER  # refused: nothing judged or opened yet (R6)
    _open_and_judge(client, application, Stage.RECOMMENDER)
    _decide(client, application, "return", "请补充成功案例的融资证明。")
    assert application.state == State.RETURNED

    # 申报单位 sees the comment, re-signs and resubmits: version 2 climbs again.
    client.force_login(world.applicant)
    assert (
        "请补充成功案例的融资证明。"
        in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    application_services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application_services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.current_version == 2

    client.force_login(world.supervisor)
    client.post(reverse("reviews:supervisor_commitment", args=[application.pk]), {"file": _scan("c5v2")})
    _open_and_judge(client, application, Stage.SUPERVISOR)
    _decide(client, application, "forward")
    assert application.state == State.AT_RECOMMENDER

    client.force_login(world.recommender)
    _decide(client, application, "recommend", refused_by="R6")
    assert application.state == State.AT_RECOMMENDER  # a new review for version 2
    _open_and_judge(client, application, Stage.RECOMMENDER)
    _decide(client, application, "recommend")
    assert application.state == State.RECOMMENDED
    assert Review.objects.filter(application=application, stage=Stage.RECOMMENDER).count() == 2

    batch_url = reverse("reviews:recommender_batch", args=[world.batch.pk])
    assert (
        client.post(
            reverse("reviews:recommender_ranks", args=[world.batch.pk]), {f"rank_{application.pk}": 1}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("reviews:recommender_letter", args=[world.batch.pk]), {"file": _scan("letter")}
        ).status_code
        == 302
    )
    client.post(reverse("reviews:recommender_submit", args=[world.batch.pk]))
    application.refresh_from_db()
    assert application.state == State.DELIVERED
    assert "推荐名单和排序已锁定" in client.get(batch_url).content.decode()

    # 受理单位: confirm the set, two paper copies, receive.
    client.force_login(world.acceptance)
    submission = selectors.delivery_of(application)
    assert world.unit.name in client.get(reverse("reviews:acceptance_queue")).content.decode()
    assert (
        application.space.name
        in client.get(reverse("reviews:acceptance_submission", args=[submission.pk])).content.decode()
    )
    client.post(reverse("reviews:acceptance_check", args=[application.pk]), {"note": ""})
    client.post(
        reverse("reviews:acceptance_paper", args=[application.pk]),
        {"copies": 2, "received_on": "2020-07-14", "receiver": "余子佳"},
    )
    client.post(reverse("reviews:acceptance_receive", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.RECEIVED

    # 省科技厅: formal review, rank, recommend to the ministry.
    client.force_login(world.province)
    assert world.batch.title in client.get(reverse("reviews:province_queue")).content.decode()
    _open_and_judge(client, application, Stage.FORMAL)
    _decide(client, application, "pass")
    assert application.state == State.FORMAL_PASSED
    client.post(reverse("reviews:province_ranks", args=[world.batch.pk]), {f"rank_{application.pk}": 1})
    client.post(reverse("reviews:province_select", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_TO_MINISTRY

    # 科技部: file and publish.
    client.force_login(world.ministry)
    assert (
        application.space.name
        in client.get(reverse("reviews:ministry_batch", args=[world.batch.pk])).content.decode()
    )
    client.post(reverse("reviews:ministry_file", args=[application.pk]))
    client.post(
        reverse("reviews:ministry_publish", args=[world.batch.pk]),
        {"title": "国家专业化众创空间备案名单", "document_number": "国科办函高〔2018〕1号"},
    )
    application.refresh_from_db()
    assert application.state == State.PUBLISHED

    # 公众: no login.
    client.logout()
    page = client.get(reverse("public:list_detail", args=[world.batch.pk])).content.decode()
    assert application.space.name in page
    assert "国科办函高〔2018〕1号" in page
    assert [e.transition for e in application.events.order_by("at", "id")] == [
        "submit",
        "forward",
        "return_to_applicant",
        "submit",
        "forward",
        "recommend",
        "deliver",
        "receive",
        "pass_formal_review",
        "select",
        "file",
        "publish",
    ]


def test_the_chain_without_a_supervisor_where_the_province_receives():
    """The second chain configuration on the same screens: the unit reviews first, and the
    province receives the unit's set itself before its formal review."""
    from django.test import Client

    from makerspace.core.tests.factories import BatchFactory, World

    world = World(batch=BatchFactory(chain="province_receipt"))
    client = Client()
    application = world.submitted()
    assert application.state == State.AT_RECOMMENDER

    client.force_login(world.recommender)
    _open_and_judge(client, application, Stage.RECOMMENDER)
    _decide(client, application, "recommend")
    client.post(reverse("reviews:recommender_ranks", args=[world.batch.pk]), {f"rank_{application.pk}": 1})
    client.post(reverse("reviews:recommender_letter", args=[world.batch.pk]), {"file": _scan("letter")})
    response = client.post(reverse("reviews:recommender_submit", args=[world.batch.pk]), follow=True)
    assert "已报送省科技厅" in response.content.decode()
    application.refresh_from_db()
    assert application.get_state_display() == "已报送省科技厅"

    # the acceptance unit has no part in this chain; the province receives on the receipt pages
    client.force_login(world.acceptance)
    assert world.unit.name not in client.get(reverse("reviews:acceptance_queue")).content.decode()
    client.force_login(world.province)
    submission = selectors.delivery_of(application)
    assert world.unit.name in client.get(reverse("reviews:acceptance_queue")).content.decode()
    assert client.get(reverse("reviews:acceptance_submission", args=[submission.pk])).status_code == 200
    client.post(reverse("reviews:acceptance_check", args=[application.pk]), {"note": ""})
    client.post(
        reverse("reviews:acceptance_paper", args=[application.pk]),
        {"copies": 2, "received_on": "2020-07-14", "receiver": "张高新"},
    )
    client.post(reverse("reviews:acceptance_receive", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.RECEIVED

    _open_and_judge(client, application, Stage.FORMAL)
    _decide(client, application, "pass")
    client.post(reverse("reviews:province_ranks", args=[world.batch.pk]), {f"rank_{application.pk}": 1})
    client.post(reverse("reviews:province_select", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_TO_MINISTRY

    client.force_login(world.ministry)
    client.post(reverse("reviews:ministry_file", args=[application.pk]))
    client.post(
        reverse("reviews:ministry_publish", args=[world.batch.pk]),
        {"title": "国家专业化众创空间备案名单", "document_number": "国科办函高〔2026〕2号"},
    )
    application.refresh_from_db()
    assert application.state == State.PUBLISHED
    assert [e.transition for e in application.events.order_by("at", "id")] == [
        "submit",
        "recommend",
        "deliver",
        "receive",
        "pass_formal_review",
        "select",
        "file",
        "publish",
    ]


@pytest.mark.parametrize("role", ["applicant", "supervisor", "acceptance", "province", "ministry", "expert"])
def test_other_roles_cannot_use_the_recommenders_screens(world, client, role):
    application = world.forwarded()
    client.force_login(getattr(world, role))
    assert client.get(reverse("reviews:recommender_queue")).status_code == 403
    assert client.get(reverse("reviews:recommender_batch", args=[world.batch.pk])).status_code == 403
    status = client.get(reverse("reviews:review", args=[application.pk])).status_code
    assert status in (403, 404)
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER


def test_anonymous_users_are_sent_to_log_in(world, client):
    application = world.forwarded()
    response = client.get(reverse("reviews:review", args=[application.pk]))
    assert response.status_code == 302 and "login" in response.url
