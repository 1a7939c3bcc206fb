"""A question a person answers and a script posting in bulk does not: a small sum, signed so the
server keeps nothing until the answer comes back, and answerable once.

Written here because the usual libraries (reCAPTCHA, hCaptcha, Turnstile) load a third-party
script, and the government intranets this runs on reach no CDN; an image CAPTCHA would need the
fonts and a renderer for little gain over a rate limit. This works without script or network."""

import secrets

from django import forms
from django.core import signing
from django.core.cache import cache

SALT = "makerspace.security.challenge"
MAX_AGE = 30 * 60
DIGITS = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    return DIGITS[number] if number < 10 else "十" + (DIGITS[number - 10] if number > 10 else "")


def new_challenge() -> tuple[str, str]:
    """(question, token) for a fresh sum of two numbers from 1 to 19."""
    a, b = secrets.randbelow(19) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8)}, salt=SALT, compress=True)
    return f"{_chinese(a)}加{_chinese(b)}等于多少？（请填写阿拉伯数字）", token


class _FreshHiddenField(forms.CharField):
    """Rendered with the form's new token, never the submitted one (that one may be used)."""

    def bound_data(self, data, initial):
        return initial


class _FreshAnswerField(forms.IntegerField):
    def bound_data(self, data, initial):
        return None


def add_challenge(form: forms.Form) -> None:
    """Put a fresh question at the end of `form`."""
    question, token = new_challenge()
    form.fields["challenge"] = _FreshHiddenField(widget=forms.HiddenInput, required=False, initial=token)
    form.fields["challenge_answer"] = _FreshAnswerField(
        label=f"验证问题：{question}", required=False, min_value=0, max_value=100
    )


def challenge_error(data) -> str | None:
    """Check the submitted answer and spend its token; the message to show, or None."""
    token, raw = str(data.get("challenge") or ""), str(data.get("challenge_answer") or "").strip()
    if not raw.isdigit():
        return "请回答验证问题。"
    try:
        sum_ = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return "验证问题已过期，请回答新的问题。"
    if int(raw) != sum_["a"] + sum_["b"]:
        return "验证问题的答案不正确，请回答新的问题。"
    if not cache.add(f"challenge:{sum_['n']}", 1, timeout=MAX_AGE):
        return "验证问题已使用过，请回答新的问题。"
    return None


class ChallengeMixin(forms.Form):
    """Adds the question to a public form; `clean` checks the answer and spends the token."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_challenge(self)

    def clean(self):
        cleaned = super().clean()
        problem = challenge_error(self.data)
        if problem:
            self.add_error("challenge_answer", problem)
        return cleaned


def solve(token: str) -> int:
    """The answer to a token, for tests and the load generator."""
    sum_ = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    return sum_["a"] + sum_["b"]
