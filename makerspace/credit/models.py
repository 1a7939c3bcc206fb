from django.conf import settings
from django.db import models

from makerspace.accounts.credit_code import validate_credit_code


class CreditRecord(models.Model):
    """One entry of the scientific-credit register, keyed by 统一社会信用代码. Never deleted: a record
    ends by its end date, so what the register said on any day can be told afterwards."""

    class Kind(models.TextChoices):
        BAD_SCIENTIFIC_CREDIT = "bad_scientific_credit", "不良科技信用记录"
        SERIOUS_DISHONESTY = "serious_dishonesty", "严重失信主体名单"
        OTHER = "other", "其他不良信用记录"

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, db_index=True, validators=[validate_credit_code]
    )
    subject_name = models.CharField("单位名称", max_length=200)
    kind = models.CharField("记录类别", max_length=30, choices=Kind.choices)
    reason = models.TextField("记录事由")
    source_document = models.CharField("依据文件", max_length=200, help_text="如处理决定的文号")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True, help_text="留空表示长期有效")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="credit_record_ends_after_start",
                violation_error_message="截止日期不能早于起始日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}（{self.get_kind_display()}）"
