import uuid

from django.conf import settings
from django.db import models

from makerspace.accounts.credit_code import validate_credit_code
from makerspace.core.models import SpreadsheetImport


class CreditRecord(models.Model):
    """One entry of the scientific-credit register, keyed by 统一社会信用代码. Never deleted: a record
    ends by its end date (or is ended early, with the reason kept), so what the register said on any
    day can be told afterwards."""

    class Kind(models.TextChoices):
        BAD_SCIENTIFIC_CREDIT = "bad_scientific_credit", "不良科技信用记录"
        SERIOUS_DISHONESTY = "serious_dishonesty", "严重失信主体名单"
        OTHER = "other", "其他不良信用记录"

    class Origin(models.TextChoices):
        MANUAL = "manual", "手工登记"
        IMPORT = "import", "信用平台导入"
        DISQUALIFICATION = "disqualification", "取消申报资格（R7）"

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
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="相关申报",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
    )
    # Ending early keeps the end date first recorded beside the new one, with who and why.
    original_ends_on = models.DateField("原定截止日期", null=True, blank=True)
    ended_early_at = models.DateTimeField("提前终止时间", null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提前终止人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.TextField("提前终止理由", blank=True)

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

    @property
    def ended_early(self) -> bool:
        return self.ended_early_at is not None

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def period_text(self) -> str:
        end = f"{self.ends_on:%Y-%m-%d}" if self.ends_on else "长期"
        return f"{self.starts_on:%Y-%m-%d} 至 {end}"

    def describe(self) -> str:
        """The record as every party is told it: kind, reason, source and period."""
        return (
            f"{self.get_kind_display()}：{self.reason}（依据：{self.source_document}；"
            f"有效期：{self.period_text()}）"
        )


class CreditImport(SpreadsheetImport):
    """A list from the provincial public credit platform between preview and confirmation: nothing
    is written to the register until the importer has seen every bad row and confirms."""

    created_count = models.PositiveIntegerField("已登记记录数", default=0)

    class Meta(SpreadsheetImport.Meta):
        verbose_name = "信用记录导入"
        verbose_name_plural = "信用记录导入"


def evidence_path(instance: "Disqualification", filename: str) -> str:
    return f"credit/evidence/{instance.application_id}/{uuid.uuid4().hex}"


class Disqualification(models.Model):
    """R7: the province found fabricated materials. The evidence, the decision and the credit
    record it created, kept together and never deleted."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.PROTECT,
        related_name="disqualification",
    )
    state_before = models.CharField("取消前状态", max_length=30)
    reason = models.TextField("弄虚作假情况")
    record = models.OneToOneField(
        CreditRecord, verbose_name="信用记录", on_delete=models.PROTECT, related_name="disqualification"
    )
    evidence = models.FileField("证据材料", upload_to=evidence_path)
    evidence_original_name = models.CharField("原文件名", max_length=255)
    evidence_content_type = models.CharField("文件类型", max_length=100)
    evidence_size = models.PositiveBigIntegerField("大小（字节）")
    evidence_sha256 = models.CharField("SHA-256", max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    class Meta:
        verbose_name = "取消资格"
        verbose_name_plural = "取消资格"
        ordering = ["-decided_at"]
