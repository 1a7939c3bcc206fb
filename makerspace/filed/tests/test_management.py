"""Dynamic management: change requests up the chain, spot checks, rectification, fraud."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.validators import R2_MESSAGE
from makerspace.core.errors import StateConflict
from makerspace.core.tests.factories import OrganisationFactory, World
from makerspace.credit.models import CreditRecord
from makerspace.filed import management_services as management
from makerspace.filed.models import ChangeRequest, RevocationRule, SpotCheck, Status

from .helpers import filed

pytestmark = pytest.mark.django_db


def _approve(world, request):
    management.change_request_decide(user=world.recommender, request=request, approve=True)
    request.refresh_from_db()
    return management.change_request_decide(user=world.province, request=request, approve=True)


def test_a_change_of_name_follows_the_r2_naming_rule(world):
    filed_space = filed(world)
    for name in ("苏州生物医药众创空间", "专业化众创空间", "苏州生物医药专业化"):
        with pytest.raises(ValidationError) as refused:
            management.change_request_create(
                user=world.applicant, filed_space=filed_space, field="name", new_value=name, reason="更名"
            )
        assert str(R2_MESSAGE) in refused.value.messages
    assert not ChangeRequest.objects.exists()

    request = management.change_request_create(
        user=world.applicant,
        filed_space=filed_space,
        field="name",
        new_value="苏州合成生物专业化众创空间",
        reason="专业方向聚焦合成生物",
    )
    _approve(world, request)
    filed_space.refresh_from_db()
    assert filed_space.name == "苏州合成生物专业化众创空间"


def test_a_change_goes_unit_then_province_and_only_its_party_decides(world):
    filed_space = filed(world)
    request = management.change_request_create(
        user=world.applicant,
        filed_space=filed_space,
        field="address",
        new_value="南京市江北新区1号",
        reason="搬迁",
    )
    with pytest.raises(PermissionDenied):
        management.change_request_decide(user=world.province, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        management.change_request_decide(user=World().recommender, request=request, approve=True)
    management.change_request_decide(user=world.recommender, request=request, approve=True)
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.AT_PROVINCE
    filed_space.refresh_from_db()
    assert filed_space.address != "南京市江北新区1号"  # not before the province approves
    management.change_request_decide(user=world.province, request=request, approve=True)
    filed_space.refresh_from_db()
    assert filed_space.address == "南京市江北新区1号"


def test_a_change_of_operating_entity_needs_a_registered_one_and_moves_the_space(world):
    filed_space = filed(world)
    with pytest.raises(ValidationError):
        management.change_request_create(
            user=world.applicant,
            filed_space=filed_space,
            field="operator",
            new_value="91320000MA1XXXXX0X",
            reason="转让",
        )
    successor = OrganisationFactory(recommending_unit=world.unit)
    request = management.change_request_create(
        user=world.applicant,
        filed_space=filed_space,
        field="operator",
        new_value=successor.credit_code,
        reason="转让",
    )
    _approve(world, request)
    filed_space.refresh_from_db()
    assert filed_space.operator == successor and filed_space.operator_name == successor.name


def test_only_the_operating_entity_asks_and_a_refusal_needs_a_reason(world):
    filed_space = filed(world)
    with pytest.raises(PermissionDenied):
        management.change_request_create(
            user=World(unit=world.unit).applicant,
            filed_space=filed_space,
            field="field",
            new_value="新材料",
            reason="x",
        )
    request = management.change_request_create(
        user=world.applicant, filed_space=filed_space, field="field", new_value="新材料", reason="转型"
    )
    with pytest.raises(ValidationError):
        management.change_request_decide(user=world.recommender, request=request, approve=False)
    management.change_request_decide(
        user=world.recommender, request=request, approve=False, comment="依据不足"
    )
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.REJECTED


def test_a_spot_check_orders_rectification_and_its_verification_restores_the_space(world):
    filed_space = filed(world)
    check = management.spot_check_record(
        user=world.province,
        filed_space=filed_space,
        visited_on=timezone.localdate(),
        inspectors="张三、李四",
        findings="创业导师名单与实际不符",
        outcome=SpotCheck.Outcome.RECTIFY,
        rectification_deadline=timezone.localdate() + timedelta(days=30),
        requirements="补充签约导师",
    )
    filed_space.refresh_from_db()
    assert filed_space.status == Status.RECTIFYING
    with pytest.raises(PermissionDenied):
        management.rectification_complete(
            user=world.recommender, rectification=check.rectification, note="已完成"
        )
    management.rectification_complete(
        user=world.province, rectification=check.rectification, note="已补签导师8名"
    )
    filed_space.refresh_from_db()
    assert filed_space.status == Status.ACTIVE
    assert [h.target for h in filed_space.history.all()] == [Status.ACTIVE, Status.RECTIFYING, Status.ACTIVE]
    with pytest.raises(StateConflict):
        management.rectification_complete(user=world.province, rectification=check.rectification, note="再次")


def test_fraud_found_on_a_spot_check_revokes_and_writes_the_credit_register(world, client):
    filed_space = filed(world)
    management.spot_check_record(
        user=world.province,
        filed_space=filed_space,
        visited_on=timezone.localdate(),
        inspectors="张三",
        findings="虚构在孵企业12家",
        outcome=SpotCheck.Outcome.FRAUD,
    )
    filed_space.refresh_from_db()
    assert filed_space.status == Status.REVOKED
    assert filed_space.history.last().rule == RevocationRule.FRAUD
    record = CreditRecord.objects.get(credit_code=filed_space.operator.credit_code)
    assert record.kind == CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT and "虚构在孵企业" in record.reason
    page = client.get(reverse("public:list_detail", args=[world.batch.pk])).content.decode()
    assert f"<del>{filed_space.name}</del>" in page


def test_voluntary_exit_cancels_without_a_credit_record(world):
    from makerspace.filed.services import filed_space_end

    filed_space = filed(world)
    filed_space_end(
        user=world.province, filed_space=filed_space, rule="voluntary_exit", reason="运营主体申请退出"
    )
    filed_space.refresh_from_db()
    assert filed_space.status == Status.CANCELLED
    assert not CreditRecord.objects.exists()


def test_a_voluntary_exit_asked_by_the_operating_entity_is_decided_by_the_province(world):
    from makerspace.filed.models import RevocationProposal
    from makerspace.filed.services import exit_request, revocation_decide

    filed_space = filed(world)
    with pytest.raises(PermissionDenied):
        exit_request(user=world.recommender, filed_space=filed_space, reason="退出")
    proposal = exit_request(user=world.applicant, filed_space=filed_space, reason="运营主体业务调整")
    assert proposal.rule == RevocationRule.VOLUNTARY_EXIT and proposal.is_pending
    with pytest.raises(PermissionDenied):
        revocation_decide(user=world.applicant, proposal=proposal, revoke=True, comment="同意")
    revocation_decide(user=world.province, proposal=proposal, revoke=True, comment="同意退出")
    filed_space.refresh_from_db()
    assert filed_space.status == Status.CANCELLED
    assert RevocationProposal.objects.get().decision == RevocationProposal.Decision.REVOKED
    assert not CreditRecord.objects.exists()
