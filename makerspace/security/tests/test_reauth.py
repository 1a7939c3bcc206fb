"""Changing e-mail, password or two-factor settings needs a fresh password (and TOTP code)."""

import time

import pytest
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


def test_changing_the_email_is_saved_and_audited(client, world):
    client.force_login(world.applicant)
    client.post("/security/reauth/", {"password": DEMO_PASSWORD})
    same = client.post("/security/email/", {"email": world.applicant.email})
    assert "相同" in same.content.decode()
    bad = client.post("/security/email/", {"email": "not-an-email"})
    assert bad.status_code == 200 and "Email" in bad.content.decode()
    client.post("/security/email/", {"email": "New@Example.cn"})
    world.applicant.refresh_from_db()
    assert world.applicant.email == "new@example.cn"
    event = AuditEvent.objects.get(action="security.email_change")
    assert event.payload["to"] == "new@example.cn"


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
