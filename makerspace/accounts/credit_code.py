"""统一社会信用代码 (GB 32100-2015): normalisation and check-character verification.

Written by hand because no maintained package implements the GB 32100 check; the algorithm is the
standard's own: weights 3^(i-1) mod 31 over the first 17 characters, check = 31 - (sum mod 31).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the standard's 31 characters: no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]
CODE_LENGTH = 18


def normalise(raw: str | None) -> str:
    # NFKC folds the full-width letters and digits a Chinese input method types into ASCII.
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Return a Chinese explanation of what is wrong with a normalised code, or None if valid."""
    if len(code) != CODE_LENGTH:
        return _("统一社会信用代码应为18位，当前为{length}位。").format(length=len(code))
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        return _("统一社会信用代码含有不允许的字符：{chars}（不使用I、O、S、V、Z）。").format(
            chars="、".join(bad)
        )
    if not code[2:8].isdigit():
        return _("统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）。")
    if check_character(code[:17]) != code[17]:
        return _("统一社会信用代码校验位不正确，请核对后重新输入。")
    return None


def is_valid(code: str) -> bool:
    return problem(normalise(code)) is None


def validate_credit_code(value: str) -> None:
    message = problem(normalise(value))
    if message:
        raise ValidationError(message, code="invalid_credit_code")


def complete(first17: str) -> str:
    """Append the check character: used by the demo data and the tests' factories."""
    return first17 + check_character(first17)
