import pytest
from django.urls import reverse

from makerspace.accounts.models import Organisation, Role, User
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
    response = client.post(URL, data)
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


def test_duplicate_credit_code_is_refused_next_to_its_field(client, data):
    organisation = OrganisationFactory(credit_code=demo_credit_code(555_001))
    UserFactory(organisation=organisation)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "该统一社会信用代码已注册" in field_text(response, "credit_code")
    assert not User.objects.filter(username="zhang_sb").exists()


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
    client.post(URL, data)
    assert client.get(URL).status_code == 302


def test_a_password_like_the_email_address_is_refused(client, data):
    password = "Zhang@Example1"
    response = client.post(URL, {**data, "password1": password, "password2": password})
    assert response.status_code == 200
    assert "密码跟 电子邮件地址 太相似了" in field_text(response, "password2")
    assert not User.objects.filter(username="zhang_sb").exists()
