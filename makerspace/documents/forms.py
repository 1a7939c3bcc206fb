from django import forms
from django.conf import settings

from makerspace.accounts.models import RecommendingUnit
from makerspace.applications.workflow import State
from makerspace.batches.models import Batch
from makerspace.permissions import province_of, visible_batches


class SummaryFilterForm(forms.Form):
    batch = forms.ModelChoiceField(
        Batch.objects.all(), label="申报批次", required=False, empty_label="全部批次"
    )
    recommending_unit = forms.ModelChoiceField(
        RecommendingUnit.objects.all(), label="推荐单位", required=False, empty_label="全部推荐单位"
    )
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *State.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = visible_batches(user)
        province = province_of(user)
        if province is not None:
            self.fields["recommending_unit"].queryset = RecommendingUnit.objects.filter(province=province)


class ImportForm(forms.Form):
    batch = forms.ModelChoiceField(
        Batch.objects.filter(status=Batch.Status.OPEN), label="导入到批次", empty_label="请选择受理中的批次"
    )
    file = forms.FileField(label="汇总表文件（.xlsx）", help_text="第1行为表头，列名与导出的汇总表相同。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = visible_batches(user, self.fields["batch"].queryset)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的文件（可先导出汇总表作为模板）。")
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大。")
        return upload


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=30, help_text="文件页脚上的12位验证码，如 7K3M-Q9TX-2HWD。"
    )


class VerifyFileForm(forms.Form):
    file = forms.FileField(
        label="您持有的文件", help_text="上传文件后计算其SHA-256，与签发时的记录比对；文件不会被保存。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大，无法核验。")
        return upload
