"""Issue 15: changes in /admin/ (a user's role or organisation, expert profiles, organisations)
write audit rows with the old and the new value; a password never reaches the payload."""

import pytest
from django.urls import reverse

from makerspace.accounts.models import Role
from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_verify
from makerspace.core.tests.factories import OrganisationFactory, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, world):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


def _user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "mobile": user.mobile or "",
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation_id or "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_an_admin_change_of_a_users_role_and_organisation_writes_an_audit_row(operator, world):
    user = world.applicant
    old_org = user.organisation
    new_org = OrganisationFactory(kind=Role.SUPERVISOR)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = operator.post(url, _user_form(user, role=Role.SUPERVISOR, organisation=new_org.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = AuditEvent.objects.get(action="admin.change")
    assert row.actor == world.admin and row.target_id == str(user.pk)
    assert row.payload["fields"]["role"] == {"old": Role.APPLICANT, "new": Role.SUPERVISOR}
    assert row.payload["fields"]["organisation"] == {"old": str(old_org), "new": str(new_org)}
    assert audit_verify()[1] is None


def test_an_admin_change_of_an_expert_profile_writes_an_audit_row(operator, world):
    expert = make_expert(world, organisation_name="东南大学")
    profile = expert.expert_profile if hasattr(expert, "expert_profile") else expert.expertprofile
    url = reverse("admin:scoring_expertprofile_change", args=[profile.pk])
    page = operator.get(url)
    data = {k: ("" if v is None else v) for k, v in page.context["adminform"].form.initial.items()}
    data["organisation_name"] = "南京大学"
    response = operator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = AuditEvent.objects.get(action="admin.change")
    assert row.payload["fields"]["organisation_name"] == {"old": "东南大学", "new": "南京大学"}


def test_an_admin_password_change_is_recorded_without_the_hash(operator, world):
    user = world.applicant
    url = reverse("admin:accounts_user_change", args=[user.pk])
    before = user.password
    operator.post(url, _user_form(user, full_name="改名后", password="md5$forged$0000"))
    row = AuditEvent.objects.get(action="admin.change")
    assert row.payload["fields"]["full_name"]["new"] == "改名后"
    assert before not in str(row.payload) and "forged" not in str(row.payload)


def test_an_admin_deletion_writes_an_audit_row(operator, world):
    organisation = OrganisationFactory(kind=Role.SUPERVISOR, name="将被删除的单位")
    url = reverse("admin:accounts_organisation_delete", args=[organisation.pk])
    assert operator.post(url, {"post": "yes"}).status_code == 302
    row = AuditEvent.objects.get(action="admin.delete")
    assert "将被删除的单位" in row.summary


def test_an_admin_change_of_the_holiday_list_writes_an_audit_row(operator, world):
    """The holidays decide when a 公示 ends: workflow data, audited like the rest."""
    from datetime import date

    url = reverse("admin:publicity_holiday_add")
    response = operator.post(url, {"day": "2026-10-08", "name": "国庆调休"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = AuditEvent.objects.get(action="admin.add")
    assert "国庆调休" in row.summary or row.payload
    from makerspace.publicity.models import Holiday

    assert Holiday.objects.get().day == date(2026, 10, 8)


def test_notifications_and_supervisor_requests_are_read_only_in_the_admin(operator, world):
    from makerspace.notifications.models import Notification

    notification = Notification.objects.create(recipient=world.applicant, kind="submit", title="通知")
    url = reverse("admin:notifications_notification_change", args=[notification.pk])
    operator.post(url, {"title": "改过的通知", "recipient": world.applicant.pk, "kind": "submit"})
    notification.refresh_from_db()
    assert notification.title == "通知"
    assert operator.get(reverse("admin:accounts_supervisorrequest_add")).status_code == 403
