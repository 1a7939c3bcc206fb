import re

import pytest
from django.core import mail
from django.urls import reverse

from makerspace.core.demo import DEMO_PASSWORD
from makerspace.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nw9-another-Secret"


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_login_with_right_password_and_logout(client):
    user = UserFactory(username="applicant_a")
    response = client.post(reverse("accounts:login"), {"username": "applicant_a", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("applications:list")).context["user"] == user
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("applications:list")).status_code == 302


def test_login_with_wrong_password_is_refused_in_chinese(client):
    UserFactory(username="applicant_a")
    response = client.post(
        reverse("accounts:login"), {"username": "applicant_a", "password": "wrong-one-123"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_password_reset_sends_mail_and_its_link_sets_a_new_password(client):
    user = UserFactory(username="applicant_a", email="a@example.cn")
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.cn"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.cn"]
    assert message.subject == "专业化众创空间备案推荐系统：重设密码"
    assert "applicant_a" in message.body
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    response = client.get(link)  # the token moves into the session and the link is rewritten
    assert response.status_code == 302
    form_url = response.url
    response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # the link is spent
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    UserFactory(email="a@example.cn")
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_forged_reset_link_is_refused(client):
    user = UserFactory()
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, "abc-0123456789abcdef"]), follow=True
    )
    assert response.context["validlink"] is False
    assert "该链接无效或已过期" in response.content.decode()
