"""统一社会信用代码 (GB 32100-2015): the check character, normalisation and the user's messages."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from makerspace.accounts.credit_code import (
    CHARSET,
    check_character,
    complete,
    is_valid,
    normalise,
    problem,
    validate_credit_code,
)

DIGITS = "0123456789"

# Codes as the standard builds them: registration authority and kind (any character of the set),
# a six-digit administrative region code, a nine-character body identifier.
first17 = st.builds(
    lambda head, region, body: head + region + body,
    st.text(alphabet=CHARSET, min_size=2, max_size=2),
    st.text(alphabet=DIGITS, min_size=6, max_size=6),
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)
valid_code = first17.map(complete)

# Codes in the formats printed on real licences and certificates.
REAL_CODES = [
    "91350100M000100Y43",  # the standard's own worked example (an enterprise, 工商)
    "91440300708461136T",  # an enterprise registered in Shenzhen
    "91110000802100433B",  # an enterprise registered in Beijing
    "12100000400010398P",  # a public institution (事业单位, 机构编制)
    "11100000000013127D",  # an organ of the State (机关)
]


@given(valid_code)
def test_any_code_with_its_computed_check_character_is_valid(code):
    assert problem(code) is None
    assert is_valid(code)
    validate_credit_code(code)


@given(valid_code, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
def test_a_single_character_substitution_is_always_detected(code, position, replacement):
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    assert not is_valid(changed)


@given(valid_code, st.sampled_from(DIGITS + "IOSVZ"))
def test_a_changed_check_character_alone_is_refused_with_the_check_message(code, replacement):
    changed = code[:17] + replacement
    if changed == code:
        return
    message = problem(normalise(changed))
    assert message is not None
    if replacement in CHARSET:
        assert "校验位不正确" in message


@given(valid_code, st.data())
def test_lower_case_and_spaces_anywhere_are_normalised(code, data):
    spaced = ""
    for ch in code:
        spaced += data.draw(st.sampled_from(["", " ", "  ", "\t", "\u3000"])) + ch
    spaced += data.draw(st.sampled_from(["", " ", "\n"]))
    lowered = spaced.lower()
    assert normalise(lowered) == code
    assert is_valid(lowered)


def test_full_width_characters_typed_by_a_chinese_input_method_are_normalised():
    code = REAL_CODES[0]
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert normalise(full_width) == code
    assert is_valid(full_width)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_format_examples_are_valid(code):
    assert problem(code) is None


def test_the_check_character_of_the_standards_example():
    assert check_character("91350100M000100Y4") == "3"


@given(st.text(alphabet=CHARSET, min_size=0, max_size=40).filter(lambda s: len(s) != 18))
def test_wrong_length_is_refused_with_the_length_in_chinese(code):
    assert problem(code) == f"统一社会信用代码应为18位，当前为{len(code)}位。"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_named_in_the_message(letter):
    code = "9132000013479037" + letter + "L"
    message = problem(normalise(code))
    assert message is not None
    assert f"不允许的字符：{letter}" in message
    assert "不使用I、O、S、V、Z" in message


def test_lower_case_forbidden_letter_is_reported_in_upper_case():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91320000134790373o")
    assert "不允许的字符：O" in caught.value.messages[0]


def test_letters_in_the_region_code_are_refused():
    code = complete("91AB0000134790373")
    assert problem(code) == "统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）。"


def test_validator_raises_with_its_code():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91320000134790373A")
    assert caught.value.code == "invalid_credit_code"
    assert caught.value.messages == ["统一社会信用代码校验位不正确，请核对后重新输入。"]


def test_empty_and_missing_input():
    assert normalise(None) == ""
    assert problem("") == "统一社会信用代码应为18位，当前为0位。"
