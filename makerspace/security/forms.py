from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django_otp import match_token, user_has_device

from makerspace.accounts.models import User

from .challenge import add_challenge, challenge_error

TOKEN_FIELD = {
    "label": "动态验证码",
    "min_length": 6,
    "max_length": 6,
    "help_text": "身份验证器 App 中显示的 6 位数字。",
    "widget": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
}


def _clean_token(value: str) -> str:
    value = value.strip().replace(" ", "")
    if not value.isdigit() or len(value) != 6:
        raise forms.ValidationError("请输入 6 位数字验证码。")
    return value


class TokenForm(forms.Form):
    """Enter the current code of one of the user's confirmed devices."""

    token = forms.CharField(**TOKEN_FIELD)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self) -> str:
        token = _clean_token(self.cleaned_data["token"])
        self.device = match_token(self.user, token)
        if self.device is None:
            raise forms.ValidationError("验证码不正确或已过期，请输入 App 中当前显示的验证码。")
        return token


class DeviceConfirmForm(forms.Form):
    """Confirm a new device by typing the code it shows now."""

    token = forms.CharField(**TOKEN_FIELD)

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = _clean_token(self.cleaned_data["token"])
        if not self.device.verify_token(token):
            raise forms.ValidationError("验证码不正确，请确认手机时间准确后输入当前显示的验证码。")
        return token


class ReauthForm(forms.Form):
    """Password again, and the TOTP code when the user has a device."""

    password = forms.CharField(
        label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    token = forms.CharField(required=False, **TOKEN_FIELD)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.device = None
        self.needs_token = user_has_device(self.user)
        if not self.needs_token:
            del self.fields["token"]

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if (
            password
            and authenticate(self.request, username=self.user.get_username(), password=password) is None
        ):
            self.add_error("password", "密码不正确。")
        if self.needs_token and not self.errors:
            raw = data.get("token") or ""
            try:
                token = _clean_token(raw)
            except forms.ValidationError as error:
                self.add_error("token", error)
                return data
            self.device = match_token(self.user, token)
            if self.device is None:
                self.add_error("token", "验证码不正确或已过期。")
        return data


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="新的 Email", max_length=254)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == (self.user.email or "").lower():
            raise forms.ValidationError("新的 Email 与当前 Email 相同。")
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError("该 Email 已被其他账号使用，请换一个。")
        return email


# Per-account throttling ---------------------------------------------------------------------
# django-axes locks a username at one address; guesses spread over many addresses are slowed
# here instead: after ACCOUNT_CHALLENGE_AFTER failures within an hour, every login of that
# account must first answer a question. The owner still signs in; a script is slowed to a person.

ACCOUNT_FAILURES_KEY = "login-failures:{}"
ACCOUNT_FAILURES_WINDOW = 3600


def _failures_key(username: str) -> str:
    import hashlib

    return ACCOUNT_FAILURES_KEY.format(hashlib.sha256(username.strip().lower().encode()).hexdigest())


def note_login_failure(username: str) -> None:
    from django.core.cache import cache

    key = _failures_key(username)
    if not cache.add(key, 1, timeout=ACCOUNT_FAILURES_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=ACCOUNT_FAILURES_WINDOW)


def account_failures(username: str) -> int:
    from django.core.cache import cache

    return int(cache.get(_failures_key(username)) or 0)


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = str(self.data.get("username", "")) if self.is_bound else ""
        self.needs_challenge = bool(username) and (
            account_failures(username) >= settings.ACCOUNT_CHALLENGE_AFTER
        )
        if self.needs_challenge:
            add_challenge(self)

    def clean(self):
        if self.needs_challenge:
            problem = challenge_error(self.data)
            if problem:
                raise forms.ValidationError(
                    f"该账号近期多次登录失败，为防止密码被猜测，请先回答验证问题。{problem}",
                    code="challenge",
                )
        return super().clean()
