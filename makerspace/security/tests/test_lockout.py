"""Login throttling: five failures for one username from one address lock that pair out for
30 minutes with a Chinese page; other pairs are unaffected."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from makerspace.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.enforce_security]

LOGIN = "/accounts/login/"


def _attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, times, ip="10.0.0.1"):
    for _ in range(times):
        response = _attempt(client, username, "wrong-password-1A", ip)
        assert response.status_code == 200


def _lock(client, username, ip="10.0.0.1"):
    _fail(client, username, 4, ip)
    assert _attempt(client, username, "wrong-password-1A", ip).status_code == 429


def test_four_failures_do_not_lock_and_the_right_password_still_works(client, world):
    _fail(client, world.applicant.username, 4)
    response = _attempt(client, world.applicant.username, DEMO_PASSWORD)
    assert response.status_code == 302


def test_five_failures_lock_the_username_at_that_address_with_a_chinese_page(client, world):
    _fail(client, world.applicant.username, 4)
    response = _attempt(client, world.applicant.username, "wrong-password-1A")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续5次登录失败" in page
    assert "锁定30分钟" in page
    # Even the right password is refused now.
    response = _attempt(client, world.applicant.username, DEMO_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, world):
    _lock(client, world.applicant.username)
    assert _attempt(client, world.applicant.username, DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert _attempt(client, world.supervisor.username, DEMO_PASSWORD).status_code == 302


def test_the_lock_ends_after_thirty_minutes(client, world):
    _lock(client, world.applicant.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _attempt(client, world.applicant.username, DEMO_PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, world):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": world.applicant.username, "password": "wrong-password-1A"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": world.applicant.username, "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_guesses_from_many_addresses_slow_the_account_without_locking_the_owner_out(client, world, settings):
    """Issue 15: 40 guesses from 10 addresses passed the per-(username, address) lock. After
    ACCOUNT_CHALLENGE_AFTER failures, every login of the account must answer a question first;
    the owner answers it and signs in."""
    from makerspace.security.challenge import solve

    settings.ACCOUNT_CHALLENGE_AFTER = 10
    username = world.applicant.username
    for n in range(10):
        _fail(client, username, 1, ip=f"10.0.1.{n}")
    blocked = _attempt(client, username, DEMO_PASSWORD, ip="10.0.2.1")
    assert blocked.status_code == 200
    assert "请先回答验证问题" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    form = blocked.context["form"]
    token = form["challenge"].value()
    response = client.post(
        LOGIN,
        {
            "username": username,
            "password": DEMO_PASSWORD,
            "challenge": token,
            "challenge_answer": solve(token),
        },
        REMOTE_ADDR="10.0.2.1",
    )
    assert response.status_code == 302
    other = world.supervisor.username
    assert _attempt(client, other, "wrong-password-1A", ip="10.0.3.1").status_code == 200
