"""No dead end at the start (issue: the review chain as data). What was seen: an applicant whose
主管部门 does not exist in the system could not start at all ("所选主管部门不属于无锡市"), and an
organisation created by the 汇总表 import had no account and nobody could register for it
("该统一社会信用代码已注册")."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from makerspace.accounts.models import Invitation, Organisation, Role, SupervisorRequest, User
from makerspace.applications import services as application_services
from makerspace.applications.models import Application
from makerspace.applications.requirements import readiness
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.demo import demo_credit_code, fill_complete
from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import UserFactory, World
from makerspace.documents import services as document_services
from makerspace.documents.tests.test_imports import HEADERS, good_row, xlsx
from makerspace.notifications.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "Kz7-hypothetical-Pw"


def start_with_a_named_supervisor(client, world) -> Application:
    space = application_services.space_create(user=world.applicant, name="新材料专业化众创空间")
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:start"),
        {
            "space": space.pk,
            "batch": world.batch.pk,
            "recommending_unit": world.unit.pk,
            "supervisor": "",
            "supervisor_name": "无锡市新吴区科技局",
            "supervisor_contact": "keji@xinwu.example.cn",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get(space=space)


def invitation_link() -> str:
    (link,) = re.findall(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body)
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_an_applicant_whose_supervisor_is_missing_names_it_and_starts(client, world):
    application = start_with_a_named_supervisor(client, world)

    assert application.supervisor is None
    request = SupervisorRequest.objects.get(application=application)
    assert (request.name, request.status, request.recommending_unit) == (
        "无锡市新吴区科技局",
        SupervisorRequest.Status.PENDING,
        world.unit,
    )
    assert Notification.objects.filter(recipient=world.recommender, kind="supervisor_request").exists()
    # the applicant can fill everything meanwhile; the submission waits for the 主管部门
    fill_complete(application, world.applicant)
    application.refresh_from_db()
    assert [item.message for item in readiness(application)] == [
        f"主管部门“无锡市新吴区科技局”尚待{world.unit.short_name}添加，添加后方可提交。"
    ]
    with pytest.raises(RuleViolation, match="尚待"):
        application_services.application_submit(user=world.applicant, application=application)


def test_neither_a_supervisor_nor_a_name_is_refused_next_to_the_field(client, world):
    space = application_services.space_create(user=world.applicant, name="新能源专业化众创空间")
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:start"),
        {"space": space.pk, "batch": world.batch.pk, "recommending_unit": world.unit.pk},
    )
    assert response.status_code == 200
    assert "列表中没有时，请在下方填写其名称" in response.content.decode()
    assert not Application.objects.filter(space=space).exists()


def test_the_recommending_unit_adds_the_named_supervisor_and_the_chain_goes_on(
    client, world, django_capture_on_commit_callbacks
):
    application = start_with_a_named_supervisor(client, world)
    fill_complete(application, world.applicant)
    request = SupervisorRequest.objects.get(application=application)

    client.force_login(world.recommender)
    page = client.get(reverse("accounts:supervisor_requests"))
    assert "无锡市新吴区科技局" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:supervisor_request_resolve", args=[request.pk, "add"]),
            {
                f"add{request.pk}-name": "无锡市新吴区科技局",
                f"add{request.pk}-credit_code": demo_credit_code(777, prefix="11"),
                f"add{request.pk}-email": "",
            },
        )
    assert response.status_code == 302, response.content.decode()

    supervisor = Organisation.objects.get(name="无锡市新吴区科技局")
    assert (supervisor.kind, supervisor.recommending_unit) == (Role.SUPERVISOR, world.unit)
    application.refresh_from_db()
    assert application.supervisor == supervisor
    assert AuditEvent.objects.filter(action="supervisor_request.added").exists()
    assert Notification.objects.filter(recipient=world.applicant, kind="supervisor_request").exists()
    # its first user is invited at the contact the applicant gave
    assert mail.outbox[-1].to == ["keji@xinwu.example.cn"]

    client.logout()
    link = invitation_link()
    response = client.post(
        link,
        {
            "full_name": "钱主管",
            "mobile": "13912345678",
            "username": "xinwu_keji",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    new_user = User.objects.get(username="xinwu_keji")
    assert (new_user.role, new_user.organisation, new_user.email) == (
        Role.SUPERVISOR,
        supervisor,
        "keji@xinwu.example.cn",
    )
    # the application now climbs to the 主管部门 that was added
    application_services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    assert new_user.has_perm("applications.view_application", application)


def test_another_units_recommender_and_the_applicant_cannot_resolve(client, world):
    application = start_with_a_named_supervisor(client, world)
    request = SupervisorRequest.objects.get(application=application)
    url = reverse("accounts:supervisor_request_resolve", args=[request.pk, "reject"])
    for user, status in [(World().recommender, 404), (world.applicant, 403), (world.province, 403)]:
        client.force_login(user)
        assert client.post(url, {f"reject{request.pk}-note": "不属实"}).status_code == status
    request.refresh_from_db()
    assert request.status == SupervisorRequest.Status.PENDING


def test_an_administrator_matches_the_name_to_an_existing_supervisor(client, world):
    application = start_with_a_named_supervisor(client, world)
    request = SupervisorRequest.objects.get(application=application)
    admin = UserFactory(role=Role.ADMIN, is_staff=True)
    client.force_login(admin)

    response = client.post(
        reverse("accounts:supervisor_request_resolve", args=[request.pk, "match"]),
        {
            f"match{request.pk}-supervisor": world.supervisor.organisation.pk,
            f"match{request.pk}-note": "即高新区科技局",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.supervisor == world.supervisor.organisation
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (SupervisorRequest.Status.MATCHED, admin)


def test_a_rejection_needs_a_reason_shown_next_to_the_field(client, world):
    application = start_with_a_named_supervisor(client, world)
    request = SupervisorRequest.objects.get(application=application)
    client.force_login(world.recommender)
    response = client.post(
        reverse("accounts:supervisor_request_resolve", args=[request.pk, "reject"]),
        {f"reject{request.pk}-note": ""},
    )
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    request.refresh_from_db()
    assert request.status == SupervisorRequest.Status.PENDING


def test_an_imported_organisation_gets_an_invitation_for_its_first_user(
    client, world, django_capture_on_commit_callbacks
):
    rows = [[*good_row(world, 1), "first@import.example.cn"]]
    pending = document_services.import_preview(
        user=world.recommender, batch=world.batch, upload=xlsx(rows, headers=[*HEADERS, "Email"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        document_services.import_confirm(user=world.recommender, pending=pending)

    organisation = Organisation.objects.get(credit_code=demo_credit_code(901))
    assert organisation.email == "first@import.example.cn"
    assert mail.outbox[-1].to == ["first@import.example.cn"]
    link = invitation_link()
    data = {
        "full_name": "导入联系人",
        "mobile": "13712345678",
        "username": "imported_first",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert client.post(link, data).status_code == 302
    user = User.objects.get(username="imported_first")
    assert (user.role, user.organisation) == (Role.APPLICANT, organisation)
    # the imported draft is the new user's own
    client.force_login(user)
    application = Application.objects.get(space__organisation=organisation)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    # the link works once
    client.logout()
    assert client.post(link, {**data, "username": "second_try"}).status_code == 404
    assert not User.objects.filter(username="second_try").exists()


def test_registering_an_imported_credit_code_invites_the_registered_address_only(
    client, world, django_capture_on_commit_callbacks
):
    """What was seen: "该统一社会信用代码已注册" and nobody could ever register for it."""
    rows = [[*good_row(world, 1), "first@import.example.cn"]]
    pending = document_services.import_preview(
        user=world.recommender, batch=world.batch, upload=xlsx(rows, headers=[*HEADERS, "Email"])
    )
    document_services.import_confirm(user=world.recommender, pending=pending)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:register"),
            {
                "organisation_name": "导入单位1有限公司",
                "credit_code": demo_credit_code(901),
                "nature": "private_enterprise",
                "recommending_unit": world.unit.pk,
                "legal_representative": "王建国",
                "full_name": "冒名者",
                "mobile": "13812345678",
                "email": "attacker@example.com",
                "username": "not_them",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 200
    # The screen answers as for any registration; the link goes to the registered address only,
    # the typed one is told where it went and gets no link.
    assert "请查收确认邮件" in response.content.decode()
    (invited,) = [m for m in mail.outbox if m.to == ["first@import.example.cn"]]
    assert "/accounts/invitation/" in invited.body
    (typed,) = [m for m in mail.outbox if m.to == ["attacker@example.com"]]
    assert "开通邀请已发送至该单位登记的 Email" in typed.body
    assert "/accounts/" not in typed.body
    assert len(mail.outbox) == 2
    assert not User.objects.filter(username="not_them").exists()


def test_an_expired_or_unknown_invitation_link_creates_nothing(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from makerspace.accounts.services import invitation_send

    organisation = world.applicant.organisation
    invitation, token = invitation_send(organisation=organisation, role=Role.APPLICANT)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for url in [
        reverse("accounts:invitation", args=[token]),
        reverse("accounts:invitation", args=["x" * 43]),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "邀请链接无效" in response.content.decode()
