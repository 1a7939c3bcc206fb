"""主管部门: the credit check (R8), 附件5 before forwarding (R3), returns with comments, R5."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from makerspace.applications.models import Attachment
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.errors import RuleViolation
from makerspace.credit.models import CreditRecord
from makerspace.credit.selectors import active_bad_records, check_r8_credit
from makerspace.credit.services import credit_record_add
from makerspace.reviews import chain, services

pytestmark = pytest.mark.django_db


def _bad_record(world, organisation, *, starts_on=None, ends_on=None) -> CreditRecord:
    return credit_record_add(
        user=world.province,
        credit_code=organisation.credit_code,
        subject_name=organisation.name,
        kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        reason="2017年项目申报中提供虚假材料",
        source_document="苏科监〔2017〕12号",
        starts_on=starts_on or timezone.localdate() - timedelta(days=30),
        ends_on=ends_on,
    )


def test_r8_active_bad_record_refuses_signing_and_forwarding(world):
    application = world.submitted()
    _bad_record(world, application.space.organisation)

    with pytest.raises(RuleViolation) as refused:
        services.supervisor_commitment_upload(
            user=world.supervisor, application=application, upload=chain.scan("c5")
        )
    assert refused.value.rule == "R8"
    assert "不良信用记录" in refused.value.message
    assert not application.attachments.filter(kind=Attachment.Kind.SUPERVISOR_COMMITMENT).exists()
    with pytest.raises(RuleViolation) as refused:
        services.supervisor_forward(user=world.supervisor, application=application)
    assert refused.value.rule == "R8"
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    # The check itself is on record even though the action was refused.
    checks = AuditEvent.objects.filter(action="credit.check", application=application)
    assert checks.filter(payload__checkpoint="supervisor").count() == 2


def test_r8_expired_or_future_records_are_not_in_force(world):
    organisation = world.applicant.organisation
    today = timezone.localdate()
    _bad_record(world, organisation, starts_on=today - timedelta(days=800), ends_on=today - timedelta(days=1))
    _bad_record(world, organisation, starts_on=today + timedelta(days=5))
    assert not active_bad_records(organisation.credit_code).exists()
    assert active_bad_records(organisation.credit_code, on=today + timedelta(days=5)).count() == 1
    assert check_r8_credit(organisation).clean


def test_r8_credit_check_is_shown_before_the_supervisor_signs(world, client):
    application = world.submitted()
    client.force_login(world.supervisor)
    url = reverse("reviews:supervisor_detail", args=[application.pk])

    page = client.get(url).content.decode()
    assert "无不良信用记录" in page
    assert "上传盖章扫描件" in page

    _bad_record(world, application.space.organisation)
    page = client.get(url).content.decode()
    assert "苏科监〔2017〕12号" in page
    assert "上传盖章扫描件" not in page


def test_r8_records_are_kept_by_normalised_credit_code(world):
    organisation = world.applicant.organisation
    record = credit_record_add(
        user=world.province,
        credit_code=" " + organisation.credit_code.lower() + " ",
        subject_name=organisation.name,
        kind=CreditRecord.Kind.OTHER,
        reason="测试",
        source_document="测试〔1〕号",
        starts_on=timezone.localdate(),
    )
    assert record.credit_code == organisation.credit_code
    assert not check_r8_credit(organisation).clean


def test_only_the_province_records_credit(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        credit_record_add(
            user=world.supervisor,
            credit_code=world.applicant.organisation.credit_code,
            subject_name="x",
            kind=CreditRecord.Kind.OTHER,
            reason="x",
            source_document="x",
            starts_on=timezone.localdate(),
        )


def test_r3_forward_refused_without_supervisor_commitment(world):
    application = world.submitted()
    with pytest.raises(RuleViolation) as refused:
        services.supervisor_forward(user=world.supervisor, application=application)
    assert refused.value.rule == "R3"
    assert "附件5" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR

    services.supervisor_commitment_upload(
        user=world.supervisor, application=application, upload=chain.scan("c5")
    )
    chain.judge_all(application, world.supervisor)
    services.supervisor_forward(user=world.supervisor, application=application)
    application.refresh_from_db()
    assert application.state == State.AT_RECOMMENDER


def test_r6_the_supervisor_checks_each_commitment_of_attachment_5_before_it_forwards(world):
    """What was seen: the 主管部门 forwarded with no checklist at all."""
    application = world.submitted()
    services.supervisor_commitment_upload(
        user=world.supervisor, application=application, upload=chain.scan("c5")
    )
    with pytest.raises(RuleViolation) as refused:
        services.supervisor_forward(user=world.supervisor, application=application)
    assert refused.value.rule == "R6"
    assert "S1" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    chain.decide(application, world.supervisor, "forward")
    assert application.state == State.AT_RECOMMENDER


def test_r3_a_resubmitted_version_needs_a_new_supervisor_commitment(world):
    from makerspace.applications.services import application_submit

    application = world.forwarded()
    chain.decide(application, world.recommender, "return", comment="请补充案例材料。")
    assert application.state == State.RETURNED
    application_submit(user=world.applicant, application=application)
    application.refresh_from_db()

    with pytest.raises(RuleViolation) as refused:
        services.supervisor_forward(user=world.supervisor, application=application)
    assert refused.value.rule == "R3"
    chain.forward(application, world.supervisor)
    assert application.state == State.AT_RECOMMENDER
    current = application.attachments.filter(
        kind=Attachment.Kind.SUPERVISOR_COMMITMENT, retired_at__isnull=True
    )
    assert current.count() == 1


def test_r5_supervisor_cannot_forward_after_its_deadline(world):
    application = world.submitted()
    services.supervisor_commitment_upload(
        user=world.supervisor, application=application, upload=chain.scan("c5")
    )
    world.batch.steps.filter(kind="attest").update(deadline=timezone.now() - timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        services.supervisor_forward(user=world.supervisor, application=application)
    assert refused.value.rule == "R5"


def test_return_needs_a_comment_and_reaches_the_applicant(world, client):
    application = world.submitted()
    with pytest.raises(ValidationError):
        services.application_return(user=world.supervisor, application=application, comment="  ")

    client.force_login(world.supervisor)
    response = client.post(
        reverse("reviews:return", args=[application.pk]), {"comment": "请补充入驻企业名单。"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RETURNED
    event = application.events.first()
    assert event.transition == "return_to_applicant"
    assert event.comment == "请补充入驻企业名单。"

    client.force_login(world.applicant)
    assert (
        "请补充入驻企业名单。"
        in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )


def test_supervisor_sees_only_its_own_organisations_applications(world, client):
    from makerspace.core.tests.factories import World

    other = World(unit=world.unit, batch=world.batch)
    mine = world.submitted()
    theirs = other.submitted()
    client.force_login(world.supervisor)
    page = client.get(reverse("reviews:supervisor_queue")).content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert client.get(reverse("reviews:supervisor_detail", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("reviews:supervisor_forward", args=[theirs.pk]))
    assert response.status_code == 404
