from django import forms
from django.conf import settings
from django.utils import timezone

from makerspace.batches.models import Batch
from makerspace.permissions import visible_batches
from makerspace.security.challenge import ChallengeMixin

from .models import MIN_WORKING_DAYS, Objection

# A period longer than a year is a typing error (and a date past year 9999 overflows).
MAX_WORKING_DAYS = 250


class NoticeForm(forms.Form):
    batch = forms.ModelChoiceField(label="申报批次", queryset=Batch.objects.none())
    title = forms.CharField(label="公示标题", max_length=200)
    body = forms.CharField(
        label="公示说明",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="对公示名单如有异议，请在公示期内通过本页面实名提出，并写明事实和理由。",
    )
    contact = forms.CharField(label="联系方式", max_length=200, initial="省科技厅高新处")
    starts_on = forms.DateField(
        label="公示开始日期", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    working_days = forms.IntegerField(
        label="公示期（工作日）",
        min_value=MIN_WORKING_DAYS,
        max_value=MAX_WORKING_DAYS,
        initial=MIN_WORKING_DAYS,
        help_text="不少于5个工作日，周末和法定节假日不计。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = visible_batches(
            user, Batch.objects.exclude(status=Batch.Status.DRAFT)
        )


class ObjectionForm(ChallengeMixin, forms.Form):
    application = forms.ChoiceField(label="异议对象", required=False)
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.EmailField(label="Email", required=False)
    content = forms.CharField(
        label="异议内容", widget=forms.Textarea(attrs={"rows": 5}), help_text="请写明事实、理由和线索。"
    )
    attachment = forms.FileField(label="证明材料（可选）", required=False, help_text="PDF、JPG 或 PNG。")

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            ("", "整个名单"),
            *[(e.application_id, e.application.space.name) for e in entries],
        ]

    def clean_content(self) -> str:
        content = self.cleaned_data["content"]
        limit = settings.OBJECTION_MAX_CONTENT_CHARS
        if len(content) > limit:
            raise forms.ValidationError(f"异议内容不能超过{limit}字。")
        return content

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        limit = settings.OBJECTION_MAX_ATTACHMENT_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                f"附件不能超过{limit / 1048576:.0f} MB"
                f"（本文件{upload.size / 1048576:.1f} MB），请压缩后上传。"
            )
        return upload


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结论", choices=Objection.Outcome.choices)
    handling_note = forms.CharField(label="核查和处理情况", widget=forms.Textarea(attrs={"rows": 3}))
