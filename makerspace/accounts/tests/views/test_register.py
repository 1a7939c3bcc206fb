import re

import pytest
from django.core import mail
from django.urls import reverse

from makerspace.accounts.models import Organisation, Role, User
from makerspace.accounts.tests.helpers import confirm_link, register_confirmed, registration_post
from makerspace.applications.tests.helpers import field_errors, field_text
from makerspace.audit.models import AuditEvent
from makerspace.core.demo import demo_credit_code
from makerspace.core.tests.factories import OrganisationFactory, RecommendingUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")
PASSWORD = "Kz7-hypothetical-Pw"


@pytest.fixture
def unit():
    return RecommendingUnitFactory()


@pytest.fixture
def data(unit):
    return {
        "organisation_name": "南京测试创新发展有限公司",
        "credit_code": demo_credit_code(555_001).lower()[:9] + " " + demo_credit_code(555_001).lower()[9:],
        "nature": "private_enterprise",
        "recommending_unit": unit.pk,
        "legal_representative": "王建国",
        "full_name": "张申报",
        "mobile": "138 1234 5678",
        "email": "zhang@example.cn",
        "username": "zhang_sb",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_registers_organisation_and_its_first_user_and_logs_in(client, data, unit):
    response = register_confirmed(client, data)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.credit_code == demo_credit_code(555_001)
    assert (organisation.name, organisation.kind, organisation.recommending_unit) == (
        "南京测试创新发展有限公司",
        Role.APPLICANT,
        unit,
    )
    user = User.objects.get(username="zhang_sb")
    assert (user.role, user.organisation, user.full_name, user.mobile) == (
        Role.APPLICANT,
        organisation,
        "张申报",
        "13812345678",
    )
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="organisation.register", target_id=str(organisation.pk)).exists()
    # logged in: the workspace sends an applicant to its applications
    assert client.get(reverse("core:home")).url == reverse("applications:list")


def test_registration_tells_only_the_mailbox_whether_a_credit_code_is_registered(client, data):
    """What was seen: the form answered "该统一社会信用代码已注册" next to the field, so anyone could
    list which organisations use the system. The screen now answers alike; the typed mailbox is told."""
    free = registration_post(client, data)
    organisation = OrganisationFactory(credit_code=demo_credit_code(555_001))
    UserFactory(organisation=organisation)
    taken = registration_post(client, {**data, "email": "li@example.cn", "username": "li_sb"})

    def screen(response):
        page = response.content.decode().replace("li@example.cn", "zhang@example.cn")
        return re.sub(r"[A-Za-z0-9]{64}", "", page)  # a new CSRF token for every response

    assert (free.status_code, taken.status_code) == (200, 200)
    assert screen(free) == screen(taken)
    assert "该统一社会信用代码已注册" not in screen(taken)
    assert "该统一社会信用代码已注册" in mail.outbox[-1].body
    assert confirm_link("li@example.cn") is None
    assert not User.objects.filter(username__in=["zhang_sb", "li_sb"]).exists()


def test_a_registration_is_created_only_when_its_mail_is_confirmed(client, data):
    registration_post(client, data)
    link = confirm_link("zhang@example.cn")
    assert not Organisation.objects.exists()
    # opening the link writes nothing; confirming it creates the account once
    assert client.get(link).status_code == 200
    assert not Organisation.objects.exists()
    assert client.post(link).status_code == 302
    assert User.objects.get(username="zhang_sb").check_password(PASSWORD)
    client.logout()
    assert client.post(link).status_code == 404
    assert Organisation.objects.count() == 1


def test_a_code_registered_before_the_confirmation_is_refused_at_it(client, data):
    registration_post(client, data)
    link = confirm_link("zhang@example.cn")
    OrganisationFactory(credit_code=demo_credit_code(555_001))
    response = client.post(link)
    assert response.status_code == 400
    assert "已在您确认之前注册" in response.content.decode()
    assert not User.objects.filter(username="zhang_sb").exists()


def test_an_expired_confirmation_link_creates_nothing(client, data):
    from datetime import timedelta

    from django.utils import timezone

    from makerspace.accounts.models import PendingRegistration

    registration_post(client, data)
    link = confirm_link("zhang@example.cn")
    PendingRegistration.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(link).status_code == 404
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91320000134790373", "应为18位，当前为17位"),
        ("91320000134790373A", "校验位不正确"),
        ("9132000013479037OA", "不允许的字符：O"),
    ],
)
def test_bad_credit_code_is_refused_next_to_its_field(client, data, code, message):
    response = client.post(URL, {**data, "credit_code": code})
    assert response.status_code == 200
    assert message in field_text(response, "credit_code")
    assert not Organisation.objects.exists()


def test_bad_mobile_and_weak_password_are_refused_next_to_their_fields(client, data):
    response = client.post(URL, {**data, "mobile": "12345", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "请输入11位手机号码" in field_text(response, "mobile")
    errors = field_errors(response, "password2")
    assert any("这个密码太常见了" in e for e in errors)
    # each problem is said once, not twice
    assert len(errors) == len(set(errors))
    assert not Organisation.objects.exists()


def test_registration_page_renders_for_anonymous_and_redirects_the_logged_in(client, data):
    assert client.get(URL).status_code == 200
    register_confirmed(client, data)
    assert client.get(URL).status_code == 302


def test_a_password_like_the_email_address_is_refused(client, data):
    password = "Zhang@Example1"
    response = client.post(URL, {**data, "password1": password, "password2": password})
    assert response.status_code == 200
    assert "密码跟 电子邮件地址 太相似了" in field_text(response, "password2")
    assert not User.objects.filter(username="zhang_sb").exists()
