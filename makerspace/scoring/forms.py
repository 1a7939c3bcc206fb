from django import forms

from makerspace.accounts.models import Role, User
from makerspace.core.reference_data import CITIES

from . import sheet
from .models import BatchWeights

CITY_CHOICES = [("", "省外 / 不属于任何设区市"), *[(c, c) for c in CITIES]]


class InviteForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="Email", help_text="设置密码的链接将发送到该邮箱。")
    mobile = forms.CharField(label="手机号码", max_length=20)
    organisation_name = forms.CharField(label="工作单位", max_length=200)
    city = forms.ChoiceField(label="所在设区市", choices=CITY_CHOICES, required=False)
    specialty = forms.CharField(label="专业领域", max_length=200, required=False)
    title = forms.CharField(label="职称或职务", max_length=100, required=False)


class ProfileForm(forms.Form):
    organisation_name = forms.CharField(label="工作单位", max_length=200)
    city = forms.ChoiceField(label="所在设区市", choices=CITY_CHOICES, required=False)
    specialty = forms.CharField(label="专业领域", max_length=200, required=False)
    title = forms.CharField(label="职称或职务", max_length=100, required=False)


class DeclarationForm(forms.Form):
    application = forms.ChoiceField(label="回避的申报", required=False)
    organisation_name = forms.CharField(
        label="或：回避的单位名称", max_length=200, required=False, help_text="运营主体或建设主体的全称。"
    )
    reason = forms.CharField(label="回避理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            ("", "—"),
            *[(a.pk, f"{a.number} {a.space.name}") for a in applications],
        ]

    def clean(self):
        data = super().clean()
        if not data.get("application") and not (data.get("organisation_name") or "").strip():
            raise forms.ValidationError("请选择申报或填写单位名称。")
        return data


class WeightsForm(forms.ModelForm):
    class Meta:
        model = BatchWeights
        fields = ["basic", "features", "tasks"]

    def clean(self):
        data = super().clean()
        total = sum(data.get(k) or 0 for k in ("basic", "features", "tasks"))
        if total != 100:
            raise forms.ValidationError(f"三部分权重之和应为100，当前为{total}。")
        return data


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label="专家", queryset=User.objects.filter(role=Role.EXPERT, is_active=True)
    )
    application = forms.IntegerField(widget=forms.HiddenInput)


class ScoreForm(forms.Form):
    """One 0–10 score per item of the 工作指引 and the expert's comment."""

    def __init__(self, *args, scores=None, comment="", **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        for item in sheet.ITEMS:
            self.fields[item.code] = forms.IntegerField(
                label=item.code,
                min_value=0,
                max_value=sheet.MAX_ITEM_SCORE,
                required=False,
                initial=scores.get(item.code),
                widget=forms.NumberInput(attrs={"min": 0, "max": sheet.MAX_ITEM_SCORE, "step": 1}),
            )
        self.fields["comment"] = forms.CharField(
            label="评审意见", widget=forms.Textarea(attrs={"rows": 4}), required=False, initial=comment
        )

    def rows(self):
        return [(group, [(item, self[item.code]) for item in items]) for group, items in sheet.groups()]

    def scores(self) -> dict:
        return {item.code: self.cleaned_data[item.code] for item in sheet.ITEMS}
