"""Changing e-mail, password or two-factor settings needs a fresh password (and TOTP code)."""

import re
import time

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from makerspace.audit.models import AuditEvent
from makerspace.core.demo import DEMO_PASSWORD
from makerspace.security.auth import RECENT_AUTH_KEY

from .helpers import current_code

pytestmark = pytest.mark.django_db

PROTECTED = ["/accounts/password/change/", "/security/email/"]


@pytest.mark.parametrize("url", PROTECTED)
def test_a_session_without_recent_authentication_is_asked_to_confirm(client, world, url):
    client.force_login(world.applicant)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/security/reauth/?next={url.replace('/', '%2F')}"


def test_disabling_two_factor_needs_recent_authentication(client, world):
    TOTPDevice.objects.create(user=world.applicant, name="x", confirmed=True)
    client.force_login(world.applicant)
    response = client.post("/security/2fa/disable/")
    assert response["Location"].startswith("/security/reauth/")
    assert TOTPDevice.objects.filter(user=world.applicant).exists()


def test_password_alone_confirms_a_user_without_a_device(client, world):
    client.force_login(world.applicant)
    wrong = client.post("/security/reauth/", {"password": "not-the-password"})
    assert "密码不正确" in wrong.content.decode()
    ok = client.post("/security/reauth/", {"password": DEMO_PASSWORD, "next": "/security/email/"})
    assert ok["Location"] == "/security/email/"
    assert client.get("/security/email/").status_code == 200


def test_a_user_with_a_device_must_also_give_the_current_code(client, world):
    device = TOTPDevice.objects.create(user=world.applicant, name="x", confirmed=True)
    client.force_login(world.applicant)
    page = client.get("/security/reauth/")
    assert "动态验证码" in page.content.decode()
    without = client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    assert "6 位数字" in without.content.decode()
    assert client.get("/security/email/").status_code == 302
    ok = client.post("/security/reauth/", {"password": DEMO_PASSWORD, "token": current_code(device)})
    assert ok.status_code == 302
    assert client.get("/security/email/").status_code == 200


def test_recent_authentication_lasts_five_minutes(client, world):
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    assert client.get("/accounts/password/change/").status_code == 200
    session = client.session
    session[RECENT_AUTH_KEY] = int(time.time()) - 5 * 60 - 1
    session.save()
    assert client.get("/accounts/password/change/")["Location"].startswith("/security/reauth/")


def test_a_password_login_through_the_form_counts_as_recent(client, world):
    client.post("/accounts/login/", {"username": world.applicant.username, "password": DEMO_PASSWORD})
    assert client.get("/security/email/").status_code == 200


def test_changing_the_email_is_verified_at_the_new_address_and_notified_to_the_old(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    same = client.post("/security/email/", {"email": world.applicant.email})
    assert "相同" in same.content.decode()
    bad = client.post("/security/email/", {"email": "not-an-email"})
    assert bad.status_code == 200 and "Email" in bad.content.decode()
    old = world.applicant.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/security/email/", {"email": "New@Example.cn"})
    world.applicant.refresh_from_db()
    assert world.applicant.email == old  # not before the new address confirmed
    confirm = next(m for m in mail.outbox if m.to == ["new@example.cn"])
    assert any(m.to == [old] for m in mail.outbox)  # the old address is told
    link = re.search(r"/security/email/confirm/[^/\s]+/", confirm.body).group(0)
    assert client.get(link).status_code == 200
    world.applicant.refresh_from_db()
    assert world.applicant.email == old  # GET writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    world.applicant.refresh_from_db()
    assert world.applicant.email == "new@example.cn"
    event = AuditEvent.objects.get(action="security.email_change")
    assert event.payload["to"] == "new@example.cn"
    assert any(m.to == [old] and "已改为" in m.body for m in mail.outbox)
    client.post(link)  # used: the current address is no longer the one it was made for
    assert AuditEvent.objects.filter(action="security.email_change").count() == 1


def test_the_email_change_link_works_only_for_its_own_account(client, world):
    from makerspace.security.services import email_change_request

    token = email_change_request(user=world.applicant, email="mine@example.cn")
    client.force_login(world.supervisor)
    client.post(f"/security/email/confirm/{token}/")
    world.supervisor.refresh_from_db()
    assert world.supervisor.email != "mine@example.cn"


def test_an_email_used_by_another_account_is_refused(client, world):
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    response = client.post("/security/email/", {"email": world.supervisor.email.upper()})
    assert "已被其他账号使用" in response.content.decode()


def test_a_password_change_is_notified_to_the_account_address(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    new = "tundra-quokka-harbour"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.applicant.email]]
    assert "密码已修改" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="security.password_change").exists()


def test_an_applicant_may_opt_in_to_two_factor_after_confirming(client, world):
    client.force_login(world.applicant)
    assert client.get("/security/2fa/setup/")["Location"].startswith("/security/reauth/")
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    assert client.get("/security/2fa/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=world.applicant, confirmed=False)
    client.post("/security/2fa/setup/", {"token": current_code(device)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_disabling_two_factor_removes_the_device_and_is_audited(client, world):
    device = TOTPDevice.objects.create(user=world.applicant, name="x", confirmed=True)
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD, "token": current_code(device)})
    response = client.post("/security/2fa/disable/")
    assert response["Location"] == "/security/"
    assert not TOTPDevice.objects.filter(user=world.applicant).exists()
    assert AuditEvent.objects.filter(action="security.otp_disable").count() == 1
