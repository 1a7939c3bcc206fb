from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    """The levels that each have their own deadline in a batch (R5)."""

    APPLICANT = "applicant", "申报单位提交"
    SUPERVISOR = "supervisor", "主管部门审核"
    RECOMMENDER = "recommender", "推荐单位报送"
    PROVINCE = "province", "省科技厅推荐"


class Batch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "受理中"
        CLOSED = "closed", "已结束"

    year = models.PositiveIntegerField("年度")
    title = models.CharField("批次名称", max_length=200)
    document_number = models.CharField("文号", max_length=50, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    applicant_deadline = models.DateTimeField("申报单位提交截止时间")
    supervisor_deadline = models.DateTimeField("主管部门审核截止时间")
    recommender_deadline = models.DateTimeField("推荐单位报送截止时间")
    province_deadline = models.DateTimeField("省科技厅推荐截止时间")
    quota = models.PositiveIntegerField(
        "推荐名额", null=True, blank=True, help_text="省科技厅择优推荐的总数上限"
    )
    regional_quota_percent = models.DecimalField(
        "地区推荐比例上限（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def base_deadline(self, level: str):
        return getattr(self, f"{level}_deadline")


class DeadlineExtension(models.Model):
    """A deadline moved by the province, with its reason (R5). Never edited, only added."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="extensions")
    level = models.CharField("环节", max_length=20, choices=Level.choices)
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="留空表示对该环节全部单位延期",
    )
    new_deadline = models.DateTimeField("延期至")
    reason = models.TextField("延期理由")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "截止时间延期"
        verbose_name_plural = "截止时间延期"
        ordering = ["-granted_at"]
