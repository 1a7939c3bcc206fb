"""R8 at every checkpoint: registration warns and shows the record; a unit under a ban cannot
submit; the supervisor (附件5) and the province's formal review are refused; every party is told
the record's kind, reason and dates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from makerspace.accounts.models import Organisation
from makerspace.applications import services as application_services
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.demo import demo_credit_code
from makerspace.core.errors import RuleViolation
from makerspace.credit.services import credit_record_end_early
from makerspace.notifications.models import Notification
from makerspace.reviews import chain

from .helpers import bad_record

pytestmark = pytest.mark.django_db


def _said_in_full(message: str, record) -> None:
    assert record.get_kind_display() in message
    assert record.reason in message
    assert record.source_document in message
    assert f"{record.starts_on:%Y-%m-%d}" in message and f"{record.ends_on:%Y-%m-%d}" in message


def test_r8_banned_unit_cannot_submit(world):
    application = world.complete_draft()
    record = bad_record(world, application.space.organisation.credit_code)

    with pytest.raises(RuleViolation) as refused:
        application_services.application_submit(user=world.applicant, application=application)

    assert refused.value.rule == "R8"
    assert "不能提交申报" in refused.value.message
    _said_in_full(refused.value.message, record)
    application.refresh_from_db()
    assert (application.state, application.current_version) == (State.DRAFT, 0)
    check = AuditEvent.objects.get(action="credit.check", application=application)
    assert check.payload["checkpoint"] == "submission" and check.payload["records"] == [record.pk]


def test_r8_banned_unit_sees_why_on_the_submit_screen(world, client):
    application = world.complete_draft()
    record = bad_record(world, application.space.organisation.credit_code)
    client.force_login(world.applicant)
    response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    page = response.content.decode()
    assert record.reason in page and record.source_document in page
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_r8_record_ended_early_or_expired_no_longer_blocks_submission(world):
    application = world.complete_draft()
    record = bad_record(world, application.space.organisation.credit_code)
    credit_record_end_early(
        user=world.province,
        record=record,
        ends_on=timezone.localdate() - timedelta(days=1),
        reason="处理决定已撤销",
    )
    application_services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR


def test_r8_registration_warns_and_shows_the_record(client, world):
    from makerspace.accounts.tests.helpers import register_confirmed

    code = demo_credit_code(777_001)
    record = bad_record(world, code, "南京有记录科技有限公司")
    response = register_confirmed(
        client,
        {
            "organisation_name": "南京有记录科技有限公司",
            "credit_code": code,
            "nature": "private_enterprise",
            "recommending_unit": world.unit.pk,
            "legal_representative": "王建国",
            "full_name": "张申报",
            "mobile": "13812345678",
            "email": "warned@example.cn",
            "username": "warned_applicant",
            "password1": "Kz7-hypothetical-Pw",
            "password2": "Kz7-hypothetical-Pw",
        },
    )
    assert response.status_code == 302  # registration itself is not refused
    organisation = Organisation.objects.get(credit_code=code)
    warning = Notification.objects.get(recipient__organisation=organisation, kind="credit_warning")
    _said_in_full(warning.body, record)
    # The page the new user lands on after registering says it at once, and so does the inbox.
    landing = client.get(response["Location"], follow=True).content.decode()
    assert record.reason in landing
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "信用记录提示" in inbox


def test_r8_clean_registration_writes_no_warning(client, world):
    from makerspace.accounts.services import registration_credit_warn

    assert registration_credit_warn(user=world.applicant, organisation=world.applicant.organisation) == []
    assert not Notification.objects.filter(kind="credit_warning").exists()


def test_r8_formal_review_pass_refused_while_a_record_is_in_force(world):
    application = world.received()
    record = bad_record(world, application.space.organisation.credit_code)
    with pytest.raises(RuleViolation) as refused:
        chain.decide(application, world.province, "pass")
    assert refused.value.rule == "R8"
    assert "不能通过形式审查" in refused.value.message
    _said_in_full(refused.value.message, record)
    application.refresh_from_db()
    assert application.state == State.RECEIVED
    # Failing the formal review is still possible: only a positive decision is refused.
    chain.decide(application, world.province, "fail", comment="信用记录在有效期内")
    application.refresh_from_db()
    assert application.state == State.FORMAL_FAILED


def test_r8_supervisor_refusal_names_the_record(world):
    from makerspace.reviews import services

    application = world.submitted()
    record = bad_record(world, application.space.organisation.credit_code)
    with pytest.raises(RuleViolation) as refused:
        services.supervisor_commitment_upload(
            user=world.supervisor, application=application, upload=chain.scan("c5")
        )
    assert "主管部门不能出具信用承诺书" in refused.value.message
    _said_in_full(refused.value.message, record)


def test_r8_formal_review_page_shows_the_register_before_the_province_acts(world, client):
    application = world.received()
    organisation = application.space.organisation
    record = bad_record(world, organisation.credit_code, organisation.name)
    client.force_login(world.province)
    page = client.get(reverse("reviews:review", args=[application.pk])).content.decode()
    assert "信用记录核查（R8）" in page and record.reason in page and record.source_document in page
