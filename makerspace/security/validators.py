"""Password rules of ASVS 4.0 V2.1: long enough, not too long, no composition rules, and not a
password that is common, breached or easily guessed.

The guess check is zxcvbn's: its frequency lists (breached passwords, names, words) ship in the
package, so nothing leaves the server; Django's CommonPasswordValidator adds its own 20,000
breached passwords. Messages are in Chinese (Django's zh-hans catalogue misses some)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more), the level it advises
# for protection from offline attacks on slow hashes.
MIN_GUESS_SCORE = 3
# zxcvbn's matching grows with the length; what is past this is random enough anyway.
GUESS_CHECK_CHARS = 64


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with a Chinese message."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return (
            f"密码至少需要{self.min_length}个字符，可使用任意字符（包括中文和空格），建议用几个词组成的短语。"
        )


class MaximumLengthValidator:
    """ASVS 2.1.2: at least 64 characters are allowed, more than 128 refused."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(f"密码太长，最多{self.max_length}个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"密码最多{self.max_length}个字符。"


class GuessablePasswordValidator:
    """Refuse a password that zxcvbn finds in its breached-password and word lists, or builds
    from keyboard patterns, sequences, dates or the user's own details."""

    def __init__(self, min_score: int = MIN_GUESS_SCORE):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        from zxcvbn import zxcvbn

        details = [
            str(getattr(user, name, "") or "") for name in ("username", "email", "full_name", "mobile")
        ]
        result = zxcvbn(password[:GUESS_CHECK_CHARS], user_inputs=[d for d in details if d])
        if result["score"] < self.min_score:
            raise ValidationError(
                "该密码过于常见或容易被猜到（出现在已泄露的密码、常用词或键盘规律中）。"
                "请换一个更长、更独特的密码，例如几个不相关的词组成的短语。",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "不能使用已泄露、常见或容易被猜到的密码。"
