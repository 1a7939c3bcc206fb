"""Issue 15: registration and password reset are rate-limited; look-alike login names refused."""

import pytest
from django.core import mail

from .test_register import URL

pytestmark = pytest.mark.django_db


def test_password_reset_is_rate_limited_per_address_and_per_email(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "3/h", "password_reset_email": "2/h"}
    email = world.applicant.email
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": email}).status_code == 302
    refused = client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 429  # the same e-mail from another address
    assert len(mail.outbox) == 2
    assert client.post("/accounts/password/reset/", {"email": "x@example.cn"}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": "y@example.cn"}).status_code == 429


def test_registration_is_rate_limited_per_address(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "2/h"}
    for _ in range(2):
        assert client.post(URL, {"username": "x"}).status_code == 200
    assert client.post(URL, {"username": "x"}).status_code == 429


@pytest.mark.parametrize("username", ["zhаng", "аpplicant", "admin\u0430"])
def test_look_alike_usernames_are_refused(client, world, username):
    response = client.post(URL, {"username": username})
    errors = response.context["form"].errors["username"]
    assert any("易混淆" in e for e in errors)
