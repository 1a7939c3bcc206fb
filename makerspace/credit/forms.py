from django import forms

from .models import CreditRecord
from .selectors import STATUS_FILTERS

DATE = forms.DateInput(attrs={"type": "date"})


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="单位名称或信用代码", required=False)
    kind = forms.ChoiceField(
        label="记录类别", choices=[("", "全部类别"), *CreditRecord.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=list(STATUS_FILTERS.items()), required=False, initial="active"
    )


class RecordForm(forms.ModelForm):
    class Meta:
        model = CreditRecord
        fields = ["credit_code", "subject_name", "kind", "reason", "source_document", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}


class EndEarlyForm(forms.Form):
    ends_on = forms.DateField(label="终止日期", widget=DATE, help_text="该日之后记录不再有效。")
    reason = forms.CharField(
        label="提前终止理由", widget=forms.Textarea(attrs={"rows": 3}), help_text="如处理决定被撤销的文号。"
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="信用记录表（.xlsx）",
        help_text="第1行为表头：统一社会信用代码、单位名称、记录类别、记录事由、依据文件、起始日期、截止日期。",
    )


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        label="弄虚作假情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明发现的虚假材料和核实经过；申报单位和推荐单位将收到此说明。",
    )
    evidence = forms.FileField(
        label="证据材料", help_text="核查记录、比对材料等的扫描件（PDF、JPG 或 PNG）。"
    )
    source_document = forms.CharField(label="处理决定文号", required=False, max_length=200)
    ban_years = forms.IntegerField(label="不良科技信用记录期限（年）", min_value=1, max_value=10, initial=2)
