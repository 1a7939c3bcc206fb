from django import forms

from .chain import PRESETS
from .models import CROSS_CHECKS, AnnualReport, ChangeRequest, Grade, RevocationRule, SpotCheck


class RoundForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="留空则为“某年度报告”")
    deadline = forms.DateTimeField(
        label="填报截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    preset = forms.ChoiceField(
        label="报告流程",
        choices=[(key, preset.label) for key, preset in PRESETS.items()],
        initial="with_unit",
    )


class FiguresForm(forms.ModelForm):
    """The year's figures; each cross-field check is shown beside the figure it limits."""

    class Meta:
        model = AnnualReport
        fields = AnnualReport.FIGURES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def clean(self):
        data = super().clean()
        for part, whole, message in CROSS_CHECKS:
            a, b = data.get(part), data.get(whole)
            if a is not None and b is not None and a > b:
                self.add_error(part, message)
        return data


class SignForm(forms.Form):
    signatory = forms.CharField(label="运营主体法人（签字）", max_length=50)


class UploadForm(forms.Form):
    file = forms.FileField(label="加盖公章的年度报告扫描件（PDF或图片）")


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EndForm(forms.Form):
    rule = forms.ChoiceField(
        label="依据",
        choices=[
            (RevocationRule.FRAUD, RevocationRule.FRAUD.label),
            (RevocationRule.VOLUNTARY_EXIT, RevocationRule.VOLUNTARY_EXIT.label),
        ],
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))
    source_document = forms.CharField(label="依据文件", max_length=200, required=False)


class DecideForm(forms.Form):
    revoke = forms.TypedChoiceField(
        label="决定", choices=[("1", "撤销备案"), ("0", "不予撤销")], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label="决定意见", widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationRoundForm(forms.Form):
    report_round = forms.ModelChoiceField(label="依据的年度报告", queryset=None)
    title = forms.CharField(label="名称", max_length=200, required=False)
    grade_a_min = forms.DecimalField(label="A档最低分", initial=85, min_value=0, max_value=100)
    grade_b_min = forms.DecimalField(label="B档最低分", initial=70, min_value=0, max_value=100)
    grade_c_min = forms.DecimalField(label="C档最低分", initial=60, min_value=0, max_value=100)
    appeal_days = forms.IntegerField(label="申诉期（天）", initial=10, min_value=0, max_value=60)

    def __init__(self, *args, **kwargs):
        from .models import ReportRound

        super().__init__(*args, **kwargs)
        self.fields["report_round"].queryset = ReportRound.objects.filter(evaluation_round__isnull=True)


class ExpertScoreForm(forms.Form):
    score = forms.DecimalField(label="专家评分（0–100）", min_value=0, max_value=100, decimal_places=2)
    comment = forms.CharField(label="评语", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AppealForm(forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果", choices=[("1", "申诉成立"), ("0", "申诉不成立")], coerce=lambda v: v == "1"
    )
    new_grade = forms.ChoiceField(label="调整后等级", choices=[("", "—"), *Grade.choices], required=False)
    comment = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))


class ChangeRequestForm(forms.Form):
    field = forms.ChoiceField(label="变更事项", choices=ChangeRequest.Field.choices)
    new_value = forms.CharField(
        label="变更后",
        max_length=200,
        help_text="名称须为“XXX专业化众创空间”；变更运营主体请填写新运营主体的统一社会信用代码",
    )
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 3}))


class ChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核意见", choices=[("1", "同意"), ("0", "不同意")], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SpotCheckForm(forms.Form):
    visited_on = forms.DateField(label="现场核查日期", widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = forms.CharField(label="核查人员", max_length=200)
    findings = forms.CharField(label="核查发现", widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label="结论", choices=SpotCheck.Outcome.choices)
    requirements = forms.CharField(
        label="整改要求", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="限期整改时填写"
    )
    rectification_deadline = forms.DateField(
        label="整改期限", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class RectificationForm(forms.Form):
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 2}))


class ExitForm(forms.Form):
    reason = forms.CharField(label="退出理由", widget=forms.Textarea(attrs={"rows": 2}))
