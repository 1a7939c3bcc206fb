"""ASVS 4.0 V2.1 password policy (issue 15): at least 12 characters, at most 128, no composition
rules, any characters, and never a breached, common or easily guessed password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from makerspace.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _refusals(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return error.value.messages


def test_password_policy_needs_twelve_characters():
    assert "密码太短，至少需要12个字符。" in _refusals("Kx9-qR7-mZ2")  # 11
    validate_password("Kx9-qR7-mZ2w")  # 12


@pytest.mark.parametrize(
    "password",
    [
        "vermilion lantern orbit",  # lower case and spaces only: no composition rule refuses it
        "紫金山下的梧桐叶落满了小路",  # Chinese only
        "tundra-quokka-harbour",
        "739184620573051",  # digits only, random
        DEMO_PASSWORD,
    ],
)
def test_password_policy_has_no_composition_rules(password):
    validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["password1234", "qwertyuiop123", "iloveyou2026", "Passw0rd!2026", "abcdefghijkl", "1qaz2wsx3edc"],
)
def test_password_policy_refuses_breached_and_guessable_passwords(password):
    assert any("过于常见或容易被猜到" in m or "太常见" in m for m in _refusals(password))


def test_password_policy_refuses_a_password_built_from_the_users_details(world):
    user = world.applicant
    user.username = "zhangwei2026"
    assert _refusals("zhangwei20261", user)


def test_password_policy_allows_64_and_refuses_more_than_128_characters():
    validate_password("风" * 30 + "tundra-quokka-harbour-" * 2)
    assert "密码太长，最多128个字符。" in _refusals("x7-" * 43)


def test_registration_shows_the_guessability_rule_next_to_the_password(client, world):
    response = client.post(
        "/accounts/register/",
        {
            "organisation_name": "测试注册有限公司",
            "credit_code": "",
            "nature": "private_enterprise",
            "recommending_unit": world.unit.pk,
            "legal_representative": "王法人",
            "full_name": "张三",
            "mobile": "13812345678",
            "email": "a@example.cn",
            "username": "newuser",
            "password1": "password1234",
            "password2": "password1234",
        },
    )
    assert response.status_code == 200
    assert "过于常见或容易被猜到" in response.content.decode()
