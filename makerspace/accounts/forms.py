from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from makerspace.security.widgets import meter_new_password

from .credit_code import normalise, validate_credit_code
from .models import Nature, Organisation, RecommendingUnit, User


class AccountFieldsMixin:
    """The checks every new account's own fields pass, at registration and by invitation."""

    def clean_username(self) -> str:
        """A login name that looks like another (Cyrillic а for Latin a, mixed scripts) is refused:
        it would let one account pass for another in lists, mails and the audit log."""
        from confusable_homoglyphs import confusables

        username = super().clean_username()
        if confusables.is_mixed_script(username) or confusables.is_dangerous(username):
            raise forms.ValidationError(
                _(
                    "登录名混用了不同文字的字母或含有易混淆的字符（如西里尔字母а），"
                    "请只用一种文字的字母、数字和 _ . - 。"
                )
            )
        return username

    def clean_mobile(self) -> str:
        from makerspace.applications.validators import compact_number, validate_mobile

        mobile = compact_number(self.cleaned_data["mobile"])
        validate_mobile(mobile)
        return mobile


class RegistrationForm(AccountFieldsMixin, UserCreationForm):
    """Register an operating entity (运营主体) and its first user in one step."""

    organisation_name = forms.CharField(label=_("运营主体名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，见营业执照或法人证书；字母不区分大小写。"),
        validators=[],
    )
    nature = forms.ChoiceField(label=_("运营主体性质"), choices=Nature.choices)
    recommending_unit = forms.ModelChoiceField(
        label=_("所在设区市或国家高新区"),
        queryset=RecommendingUnit.objects.filter(active=True),
        help_text=_("决定由哪个推荐单位审核推荐。"),
    )
    legal_representative = forms.CharField(label=_("法人代表"), max_length=50)
    full_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=20)
    email = forms.EmailField(label="Email")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)
        labels = {"username": _("登录名")}

    field_order = [
        "organisation_name",
        "credit_code",
        "nature",
        "recommending_unit",
        "legal_representative",
        "full_name",
        "mobile",
        "email",
        "username",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meter_new_password(self, "password1")

    def clean_credit_code(self) -> str:
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        # Whether the code is registered is not told here: the mail to the typed address says it
        # (accounts.services.registration_request), so the form cannot be used to list who uses
        # the system.
        return code

    def _post_clean(self) -> None:
        # The password validators compare the password with the account's e-mail address, so it
        # has to be on the instance before they run.
        self.instance.email = self.cleaned_data.get("email", "")
        super()._post_clean()


class InvitationForm(AccountFieldsMixin, UserCreationForm):
    """The first user of an organisation that was created without one sets up its account."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=20)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)
        labels = {"username": _("登录名")}

    field_order = ["full_name", "mobile", "username", "password1", "password2"]

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.email = email
        meter_new_password(self, "password1")


class SupervisorAddForm(forms.Form):
    name = forms.CharField(label=_("主管部门名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, help_text=_("机关单位以11开头，18位。")
    )
    email = forms.EmailField(label=_("联系人 Email"), required=False, help_text=_("账号开通邀请发送至此。"))

    def clean_credit_code(self) -> str:
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Organisation.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("该统一社会信用代码的单位已在系统中，请选择“对应到已有主管部门”。"))
        return code


class SupervisorMatchForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("已有的主管部门"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from .models import Role

        self.fields["supervisor"].queryset = Organisation.objects.filter(
            Q(recommending_unit=unit) | Q(recommending_unit__isnull=True), kind=Role.SUPERVISOR
        )


class SupervisorRejectForm(forms.Form):
    note = forms.CharField(
        label=_("未予添加的理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class MeteredPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meter_new_password(self, "new_password1")


class MeteredSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meter_new_password(self, "new_password1")
