from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .credit_code import normalise, validate_credit_code
from .models import Nature, Organisation, RecommendingUnit, User


class RegistrationForm(UserCreationForm):
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

    def clean_credit_code(self) -> str:
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Organisation.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("该统一社会信用代码已注册。如需新增账号，请联系本单位已有账号的管理人员。")
            )
        return code

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

    def _post_clean(self) -> None:
        # The password validators compare the password with the account's e-mail address, so it
        # has to be on the instance before they run.
        self.instance.email = self.cleaned_data.get("email", "")
        super()._post_clean()
