"""R2 (the space's name) and the field formats of 附件2 as Chinese practice writes them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from makerspace.applications.validators import (
    R2_MESSAGE,
    validate_mobile,
    validate_not_future,
    validate_phone,
    validate_space_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "生物医药专业化众创空间",
        "纳米新材料专业化众创空间",
        "工业互联网专业化众创空间",
        " 智能制造专业化众创空间 ",
    ],
)
def test_r2_names_of_the_form_field_plus_suffix_are_accepted(name):
    validate_space_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "生物医药众创空间",  # no 专业化
        "专业化众创空间",  # no field
        "药专业化众创空间",  # a field of one character names nothing
        "生物医药专业化众创空间（南京）",  # something after the suffix
        "生物医药专业化孵化器",
        "生物医药众创空间专业化众创空间",
        "",
    ],
)
def test_r2_other_names_are_refused_with_a_message_that_states_the_rule(name):
    with pytest.raises(ValidationError) as caught:
        validate_space_name(name)
    assert caught.value.messages == [R2_MESSAGE]
    assert "XXX专业化众创空间" in R2_MESSAGE


@given(
    st.text(min_size=2, max_size=20).filter(lambda s: s.strip() and not s.strip().endswith("专业化众创空间"))
)
def test_r2_a_name_without_the_suffix_is_never_accepted(name):
    with pytest.raises(ValidationError):
        validate_space_name(name)


@pytest.mark.parametrize(
    "number", ["13812345678", "19912345678", "138 1234 5678", "１３８１２３４５６７８", ""]
)
def test_mobile_numbers_accepted(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "138123456789", "025-83232116", "abc"])
def test_mobile_numbers_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_mobile(number)
    assert caught.value.messages == ["请输入11位手机号码，例如13812345678。"]


@pytest.mark.parametrize(
    "number",
    [
        "025-83232116",
        "02583232116",
        "0512-6868 1234",
        "0512-68681234-801",
        "83232116",
        "13812345678",
        "（025）83232116",
        "(0512)68681234",
        "",
    ],
)
def test_phone_numbers_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["123", "025-0123", "phone", "025-832321169999999"])
def test_phone_numbers_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_phone(number)
    assert "请输入固定电话" in caught.value.messages[0]


def test_dates_not_in_the_future():
    validate_not_future(timezone.localdate())
    validate_not_future(None)
    with pytest.raises(ValidationError):
        validate_not_future(timezone.localdate() + timedelta(days=1))
