"""Compulsory TOTP for every reviewing and administrating role; optional for applicants."""

import importlib
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from makerspace.accounts.models import Role
from makerspace.audit.models import AuditEvent
from makerspace.core.tests.factories import login_verified
from makerspace.security.demo import DEMO_TOTP_KEY, demo_code, ensure_demo_devices

from .helpers import current_code

pytestmark = [pytest.mark.django_db, pytest.mark.enforce_security]


def _sent_to_two_factor(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/security/2fa/")


TWO_FACTOR_ROLES = ["supervisor", "recommender", "acceptance", "province", "expert", "ministry", "admin"]


def test_production_default_requires_two_factor_for_every_reviewing_and_administrating_role():
    module = importlib.import_module("config.settings")
    assert sorted(module.OTP_REQUIRED_ROLES) == sorted(TWO_FACTOR_ROLES)
    assert Role.APPLICANT not in module.OTP_REQUIRED_ROLES
    assert {r.value for r in Role} - set(module.OTP_REQUIRED_ROLES) == {Role.APPLICANT}


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_a_reviewing_role_without_a_device_is_sent_to_set_one_up(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/security/2fa/setup/?next=")


def test_a_role_with_a_device_is_sent_to_enter_its_code(client, world):
    TOTPDevice.objects.create(user=world.recommender, name="x", confirmed=True)
    client.force_login(world.recommender)
    response = client.get("/workspace/")
    assert response["Location"].startswith("/security/2fa/verify/?next=")


def test_the_applicant_is_not_required_to_use_two_factor(client, world):
    client.force_login(world.applicant)
    assert client.get("/applications/").status_code == 200


def test_unverified_api_and_htmx_requests_get_403_not_a_page(client, world):
    client.force_login(world.supervisor)
    api = client.get("/api/applications/")
    assert api.status_code == 403
    assert "两步验证" in api.json()["detail"]
    htmx = client.get("/workspace/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403
    assert htmx["HX-Redirect"].startswith("/security/2fa/setup/")


def test_setting_up_shows_a_qr_code_served_as_svg_and_confirms_with_the_current_code(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try (shown below)
    user = world.province
    client.force_login(user)
    page = client.get("/security/2fa/setup/?next=/workspace/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/security/2fa/setup/qr.svg"' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in html
    qr = client.get("/security/2fa/setup/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content
    assert "no-store" in qr["Cache-Control"]

    wrong = client.post(
        "/security/2fa/setup/", {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post("/security/2fa/setup/", {"token": current_code(device), "next": "/workspace/"})
    assert done.status_code == 302 and done["Location"] == "/workspace/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(action="security.otp_enable", actor=user).count() == 1
    assert not _sent_to_two_factor(client.get("/workspace/"))


def test_verifying_with_the_current_code_unlocks_the_session_and_a_wrong_code_does_not(client, world):
    device = TOTPDevice.objects.create(user=world.supervisor, name="x", confirmed=True)
    client.force_login(world.supervisor)
    wrong = client.post("/security/2fa/verify/", {"token": "12345a"})
    assert wrong.status_code == 200
    assert "6 位数字" in wrong.content.decode()
    assert _sent_to_two_factor(client.get("/workspace/"))
    ok = client.post(
        "/security/2fa/verify/?next=/workspace/", {"token": current_code(device), "next": "/workspace/"}
    )
    assert ok["Location"] == "/workspace/"
    assert not _sent_to_two_factor(client.get("/workspace/"))


def test_verify_refuses_an_off_site_next(client, world):
    device = TOTPDevice.objects.create(user=world.supervisor, name="x", confirmed=True)
    client.force_login(world.supervisor)
    response = client.post(
        "/security/2fa/verify/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/workspace/"


def test_a_used_code_cannot_be_replayed_in_another_session(client, world):
    from django.test import Client

    device = TOTPDevice.objects.create(user=world.supervisor, name="x", confirmed=True)
    code = current_code(device)
    client.force_login(world.supervisor)
    client.post("/security/2fa/verify/", {"token": code})
    other = Client()
    other.force_login(world.supervisor)
    replay = other.post("/security/2fa/verify/", {"token": code})
    assert replay.status_code == 200
    assert "验证码不正确" in replay.content.decode()


def test_the_test_helper_logs_in_a_verified_reviewer(client, world):
    login_verified(client, world.expert)
    assert not _sent_to_two_factor(client.get("/workspace/"))


def test_the_qr_code_is_only_for_a_device_being_set_up(client, world):
    client.force_login(world.applicant)
    assert client.get("/security/2fa/setup/qr.svg").status_code == 404


def test_demo_accounts_get_the_published_demo_key_and_their_code_can_be_shown(world):
    equipped = ensure_demo_devices([world.supervisor.username, world.applicant.username])
    assert equipped == [world.supervisor.username]
    device = TOTPDevice.objects.get(user=world.supervisor)
    assert device.key == DEMO_TOTP_KEY and device.confirmed
    assert demo_code(world.supervisor.username) == current_code(device)
    assert demo_code(world.applicant.username) is None
    ensure_demo_devices([world.supervisor.username])
    assert TOTPDevice.objects.filter(user=world.supervisor).count() == 1


def test_a_demo_reviewer_logs_in_through_the_real_forms(client, world):
    from makerspace.core.demo import DEMO_PASSWORD

    ensure_demo_devices([world.recommender.username])
    response = client.post(
        "/accounts/login/", {"username": world.recommender.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/workspace/")["Location"].startswith("/security/2fa/verify/")
    client.post("/security/2fa/verify/", {"token": demo_code(world.recommender.username)})
    assert not _sent_to_two_factor(client.get("/workspace/"))


def test_after_a_wrong_code_the_device_refuses_even_the_right_one_for_a_moment(client, world):
    device = TOTPDevice.objects.create(user=world.supervisor, name="x", confirmed=True)
    client.force_login(world.supervisor)
    right = current_code(device)
    client.post("/security/2fa/verify/", {"token": "000000" if right != "000000" else "111111"})
    response = client.post("/security/2fa/verify/", {"token": right})
    assert response.status_code == 200
    assert _sent_to_two_factor(client.get("/workspace/"))


@pytest.mark.parametrize("role", ["applicant", "province"])
def test_a_password_only_session_never_gets_the_secret_of_a_device_set_up_elsewhere(client, world, role):
    """Issue 15: the QR code served the pending device's secret to any session of the user, so a
    session holding only the password could read the secret the owner was about to confirm."""
    from django.test import Client

    from makerspace.security.auth import RECENT_AUTH_KEY
    from makerspace.security.views import PENDING_DEVICE_KEY

    user = getattr(world, role)
    owner = Client()
    owner.force_login(user)
    session = owner.session
    session[RECENT_AUTH_KEY] = int(time.time())  # the owner re-authenticated
    session.save()
    owner_page = owner.get("/security/2fa/setup/")
    assert owner_page.status_code == 200
    owner_secret = owner_page.context["secret"]
    owner_qr = owner.get("/security/2fa/setup/qr.svg").content

    client.force_login(user)  # the attacker: the password, no code, no recent re-authentication
    attacker_qr = client.get("/security/2fa/setup/qr.svg")
    assert attacker_qr.status_code == 404
    attacker_page = client.get("/security/2fa/setup/")
    if attacker_page.status_code == 200:  # forced first enrolment of a reviewing role
        assert attacker_page.context["secret"] != owner_secret
        assert client.get("/security/2fa/setup/qr.svg").content != owner_qr
    else:
        assert attacker_page.status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=False, pk=owner.session[PENDING_DEVICE_KEY])
    done = owner.post("/security/2fa/setup/", {"token": current_code(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=user, confirmed=True).pk == device.pk
