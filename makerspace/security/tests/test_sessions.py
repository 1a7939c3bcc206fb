"""Sessions end after 8 hours (SESSION_COOKIE_AGE) or 30 idle minutes, whichever comes first."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from makerspace.security.middleware import LAST_SEEN_KEY
from makerspace.security.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_session_limits_are_configured():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_activity_is_noted_in_the_session(client, world):
    client.force_login(world.applicant)
    client.get("/applications/")
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_an_idle_session_is_logged_out_with_a_message(client, world):
    client.force_login(world.applicant)
    client.get("/applications/")
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/applications/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    assert "自动退出" in response.content.decode()


def test_a_session_used_within_the_idle_limit_stays(client, world):
    client.force_login(world.applicant)
    client.get("/applications/")
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 30
    session.save()
    assert client.get("/applications/").status_code == 200


def _expire(session_key: str, seconds_ago: int) -> None:
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_a_session_past_its_expiry_signs_nobody_in(client, world):
    """The session engine reads the row by its key alone and compares its expiry itself
    (makerspace/security/sessions.py): a row past SESSION_COOKIE_AGE is no session."""
    client.force_login(world.applicant)
    assert client.get("/applications/").status_code == 200
    _expire(client.session.session_key, 1)
    response = client.get("/applications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_expired_or_unknown_key_loads_an_empty_session_without_its_key():
    live = SessionStore()
    live["note"] = "kept"
    live.create()
    assert SessionStore(live.session_key).load() == {"note": "kept"}

    _expire(live.session_key, 1)
    expired = SessionStore(live.session_key)
    assert expired.load() == {}
    assert expired.session_key is None

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
