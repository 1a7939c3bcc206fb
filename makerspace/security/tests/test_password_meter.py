"""ASVS 2.1.8 and 2.1.12: a new password has a meter that says what the server's validators say,
and a switch that shows it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("security:password_check")


def test_the_meter_says_what_the_form_will_refuse(client):
    response = client.post(URL, {"password": "password1234"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码强度：不合格" in page and "过于常见或容易被猜到" in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_meter_passes_a_password_the_form_accepts(client):
    page = client.post(URL, {"password": "tundra-quokka-harbour-7"}).content.decode()
    assert "密码强度：合格" in page and "不合格" not in page


def test_the_meter_uses_the_forms_details_for_the_likeness_check(client):
    password = "Zhang@Example1"
    page = client.post(URL, {"password": password, "email": "zhang@example.cn"}).content.decode()
    assert "太相似" in page
    assert "太相似" not in client.post(URL, {"password": password}).content.decode()


def test_the_meter_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_check": "2/h"}
    for _ in range(2):
        assert client.post(URL, {"password": "x"}).status_code == 200
    assert client.post(URL, {"password": "x"}).status_code == 429


@pytest.mark.parametrize(
    ("url_name", "field"),
    [("accounts:register", "password1")],
)
def test_new_password_inputs_carry_the_meter_and_the_show_switch(client, url_name, field):
    page = client.get(reverse(url_name)).content.decode()
    assert f'data-password-meter="id_{field}"' in page
    assert f'data-toggle-password="id_{field}"' in page
    assert f'data-url="{URL}"' in page


def test_the_password_change_form_carries_the_meter(client, world):
    import time

    from makerspace.security.auth import RECENT_AUTH_KEY

    client.force_login(world.applicant)
    session = client.session
    session[RECENT_AUTH_KEY] = int(time.time())  # the page needs a recent sign-in
    session.save()
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert 'data-password-meter="id_new_password1"' in page
