"""Password rules beyond Django's own (length ≥ 10, not common, not all digits)."""

import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = ("大写字母", "小写字母", "数字", "符号")


def character_classes(password: str) -> set[str]:
    """Which of the four classes a password uses; any non-ASCII letter counts as a symbol."""
    found = set()
    for char in password:
        if "A" <= char <= "Z":
            found.add("大写字母")
        elif "a" <= char <= "z":
            found.add("小写字母")
        elif char.isdigit():
            found.add("数字")
        elif not unicodedata.category(char).startswith("Z") and not char.isspace():
            found.add("符号")
    return found


class CharacterClassValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = character_classes(password)
        if len(used) < self.min_classes:
            missing = "、".join(c for c in CLASSES if c not in used)
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、符号四类中的{self.min_classes}类，"
                f"目前只有{len(used)}类（可加入：{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含大写字母、小写字母、数字、符号四类中的{self.min_classes}类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with a Chinese message (its zh-hans catalogue misses this message's id)."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"
