"""Behind nginx (TRUSTED_PROXY_COUNT=1) the lockout counts the client's address, read by
django-ipware from the X-Forwarded-For our proxy appended: five wrong passwords from one client lock
that client out, not everyone behind the proxy; a header the client forged itself changes nothing."""

import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt

from makerspace.core.demo import DEMO_PASSWORD
from makerspace.security.throttle import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.enforce_security]

LOGIN = "/accounts/login/"
PROXY = "10.0.0.254"  # nginx: every request reaches the app server from here


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The settings module as an operator configures it for one nginx in front."""
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    loaded = runpy.run_path(str(Path(__file__).resolve().parents[3] / "config" / "settings.py"))
    for name in (
        "TRUSTED_PROXY_COUNT",
        "AXES_IPWARE_PROXY_COUNT",
        "AXES_IPWARE_PROXY_ORDER",
        "IPWARE_STRICT",
        "AXES_IPWARE_META_PRECEDENCE_ORDER",
        "RATELIMIT_IP_META_KEY",
    ):
        setattr(settings, name, loaded[name])


def _login(client, username, password, forwarded):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


def test_lockout_behind_the_proxy_locks_the_client_not_the_proxy(client, world, behind_one_proxy):
    username = world.province.username
    for _ in range(4):
        assert _login(client, username, "wrong-password-1A", "203.0.113.7").status_code == 200
    assert _login(client, username, "wrong-password-1A", "203.0.113.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}

    # the real 省科技厅 user, at another address behind the same proxy, signs in
    response = _login(client, username, DEMO_PASSWORD, "198.51.100.20")
    assert response.status_code == 302
    client.logout()
    # the attacker is still locked out
    assert _login(client, username, DEMO_PASSWORD, "203.0.113.7").status_code == 429


def test_a_forwarded_for_written_by_the_client_does_not_move_its_lock(client, world, behind_one_proxy):
    username = world.province.username
    for n in range(5):
        # the client writes its own header; nginx appends the address it really came from
        _login(client, username, "wrong-password-1A", f"192.0.2.{n}, 203.0.113.7")
    assert _login(client, username, DEMO_PASSWORD, "192.0.2.99, 203.0.113.7").status_code == 429
    assert _login(client, username, DEMO_PASSWORD, "198.51.100.20").status_code == 302


def test_rate_limits_count_the_same_client_address(rf, behind_one_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_without_a_trusted_proxy_the_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
