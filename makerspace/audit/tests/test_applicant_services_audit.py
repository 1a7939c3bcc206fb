"""Every write of the applicant's journey leaves its audit row, naming who did what to which object."""

import pytest

from makerspace.applications import services
from makerspace.applications.forms import ReportForm, SuccessCaseForm
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-sequence").first()


def test_each_applicant_service_writes_its_audit_row(world):
    user = world.applicant
    space = services.space_create(user=user, name="生物医药专业化众创空间")
    services.space_rename(user=user, space=space, name="创新药物专业化众创空间")
    application = services.application_create(
        user=user,
        space=space,
        batch=world.batch,
        recommending_unit=world.unit,
        supervisor=world.supervisor.organisation,
    )
    form = ReportForm({"goals_and_tasks": "目标"}, instance=application.report)
    assert form.is_valid()
    services.section_save(user=user, application=application, section="report", form=form)
    case_form = SuccessCaseForm(
        {"title": "案例", "enterprise_name": "企业", "services": "服务", "results": "成效"}
    )
    assert case_form.is_valid()
    case = services.case_save(user=user, application=application, form=case_form)
    case_id = case.pk
    services.case_delete(user=user, application=application, case=case)
    attachment = services.attachment_add_by_applicant(
        user=user, application=application, kind="evidence", title="营业执照", upload=pdf_upload()
    )
    services.attachment_remove(user=user, application=application, attachment=attachment)
    services.commitment_sign(user=user, application=application, signatory="王建国")
    services.application_withdraw(user=user, application=application, reason="不再申报")

    expected = {
        "space.create": ("applications.MakerSpace", space.pk, "创建众创空间 生物医药专业化众创空间"),
        "space.rename": (
            "applications.MakerSpace",
            space.pk,
            "众创空间更名：生物医药专业化众创空间 → 创新药物专业化众创空间",
        ),
        "application.create": ("applications.Application", application.pk, None),
        "application.section_save": ("applications.Application", application.pk, "保存 report"),
        "application.case_save": ("applications.SuccessCase", case_id, "案例"),
        "application.case_delete": ("applications.Application", application.pk, "案例"),
        "attachment.upload": ("applications.Attachment", attachment.pk, "上传 营业执照"),
        "attachment.remove": ("applications.Attachment", attachment.pk, "移除 营业执照"),
        "application.sign_commitment": (
            "applications.Application",
            application.pk,
            "签署申报单位信用承诺书（王建国）",
        ),
        "application.withdraw": ("applications.Application", application.pk, None),
    }
    for action, (target_type, target_id, summary) in expected.items():
        event = last(action)
        assert event is not None, action
        assert (event.actor, event.role, event.target_type, event.target_id) == (
            user,
            "applicant",
            target_type,
            str(target_id),
        ), action
        if summary is not None:
            assert event.summary == summary, action
        if action.startswith(("application.", "attachment.")):
            assert event.application_id == application.pk, action


def test_registration_is_audited(client):
    from makerspace.accounts.tests.helpers import register_confirmed
    from makerspace.core.demo import demo_credit_code
    from makerspace.core.tests.factories import RecommendingUnitFactory

    unit = RecommendingUnitFactory()
    password = "Kz7-hypothetical-Pw"
    register_confirmed(
        client,
        {
            "organisation_name": "南京审计测试有限公司",
            "credit_code": demo_credit_code(777_001),
            "nature": "private_enterprise",
            "recommending_unit": unit.pk,
            "legal_representative": "王建国",
            "full_name": "张申报",
            "mobile": "13812345678",
            "email": "audit@example.cn",
            "username": "audit_user",
            "password1": password,
            "password2": password,
        },
    )
    event = last("organisation.register")
    assert event.actor.username == "audit_user"
    assert event.summary == f"注册单位 南京审计测试有限公司（{demo_credit_code(777_001)}）"


def test_submission_and_return_are_audited_with_the_states(world):
    application = world.submitted()
    services.application_transition(
        user=world.supervisor, application=application, name="return_to_applicant", comment="补充"
    )
    submit, returned = last("application.submit"), last("application.return_to_applicant")
    assert submit.payload == {"from": "draft", "to": "at_supervisor", "comment": ""}
    assert (returned.actor, returned.payload) == (
        world.supervisor,
        {"from": "at_supervisor", "to": "returned", "comment": "补充"},
    )


def test_a_refused_submission_records_only_the_credit_check(world):
    """A refused submission changes nothing; only the R8 credit look-up is kept on record."""
    from makerspace.core.errors import RuleViolation

    application = world.draft()
    before = AuditEvent.objects.count()
    with pytest.raises(RuleViolation):
        services.application_submit(user=world.applicant, application=application)
    new = list(AuditEvent.objects.filter(sequence__gt=before).values_list("action", flat=True))
    assert new == ["credit.check"]


def test_a_submission_records_its_credit_check_and_its_transition_next_to_each_other(world):
    application = world.complete_draft()
    before = AuditEvent.objects.count()
    services.application_submit(user=world.applicant, application=application)
    new = list(AuditEvent.objects.filter(sequence__gt=before).order_by("sequence"))
    assert [(e.action, e.application_id) for e in new] == [
        ("credit.check", application.pk),
        ("application.submit", application.pk),
    ]
    assert new[0].payload["checkpoint"] == "submission"


def test_a_second_submission_refused_under_the_lock_still_records_its_credit_check(world):
    from makerspace.core.errors import StateConflict

    application = world.complete_draft()
    stale = type(application).objects.get(pk=application.pk)
    services.application_submit(user=world.applicant, application=application)
    before = AuditEvent.objects.count()
    with pytest.raises(StateConflict):
        services.application_submit(user=world.applicant, application=stale)
    new = list(AuditEvent.objects.filter(sequence__gt=before).values_list("action", flat=True))
    assert new == ["credit.check"]
