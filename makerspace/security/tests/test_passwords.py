import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from makerspace.security.validators import CharacterClassValidator, character_classes


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghij", {"小写字母"}),
        ("ABCdefghij", {"大写字母", "小写字母"}),
        ("Abcdefgh12", {"大写字母", "小写字母", "数字"}),
        ("abc-def_12", {"小写字母", "符号", "数字"}),
        ("江苏abc12", {"小写字母", "数字", "符号"}),
        ("ab cd", {"小写字母"}),
    ],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


def test_two_classes_are_refused_with_a_chinese_message_naming_what_to_add():
    with pytest.raises(ValidationError) as error:
        CharacterClassValidator(3).validate("abcdefgh1234")
    message = error.value.messages[0]
    assert "至少包含大写字母、小写字母、数字、符号四类中的3类" in message
    assert "大写字母" in message.split("可加入：")[1]
    assert "符号" in message.split("可加入：")[1]


def test_three_classes_pass():
    CharacterClassValidator(3).validate("Abcdefgh1234")
    CharacterClassValidator(3).validate("abcd-efgh-12")


@pytest.mark.django_db
def test_the_configured_validators_refuse_short_and_simple_passwords_and_accept_a_strong_one():
    with pytest.raises(ValidationError) as error:
        validate_password("abcdefghijkl")
    assert any("四类中的3类" in m for m in error.value.messages)
    with pytest.raises(ValidationError):
        validate_password("Ab1-short")
    validate_password("Jiangsu-2026-maker")


@pytest.mark.django_db
def test_registration_shows_the_class_rule_next_to_the_password(client, world):
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
            "password1": "onlylowercaseletters",
            "password2": "onlylowercaseletters",
        },
    )
    assert response.status_code == 200
    assert "四类中的3类" in response.content.decode()


@pytest.mark.django_db
def test_a_short_password_is_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        validate_password("Ab1-x")
    assert "密码太短，至少需要10个字符。" in error.value.messages
