"""公示: the province's list on public notice for a number of working days, and the objections
(异议) anyone may file through the public site, each closed with how it was handled."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

MIN_WORKING_DAYS = 5


class Holiday(models.Model):
    """A public holiday falling on a weekday: not a working day of a notice period. The
    administrator extends this list (Django admin); weekends are never working days."""

    day = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = "法定节假日"
        verbose_name_plural = "法定节假日"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class NoticePeriod(models.Model):
    batch = models.ForeignKey(
        "batches.Batch", verbose_name="申报批次", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("公示标题", max_length=200)
    body = models.TextField("公示说明")
    contact = models.CharField("联系方式", max_length=200, help_text="受理异议的部门、电话和地址")
    starts_on = models.DateField("公示开始日期")
    working_days = models.PositiveSmallIntegerField(
        "公示期（工作日）", default=MIN_WORKING_DAYS, validators=[MinValueValidator(MIN_WORKING_DAYS)]
    )
    ends_on = models.DateField("公示截止日期")
    applications = models.ManyToManyField(
        "applications.Application", verbose_name="公示名单", through="NoticeEntry", related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_days__gte=MIN_WORKING_DAYS),
                name="notice_at_least_five_working_days",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    def has_ended_by(self, day) -> bool:
        return day > self.ends_on


class NoticeEntry(models.Model):
    """One application on the notice's list, in the province's order."""

    notice = models.ForeignKey(NoticePeriod, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("序号")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "application"], name="one_entry_per_notice")]


def objection_path(instance: "Objection", filename: str) -> str:
    return f"publicity/{instance.notice_id}/{uuid.uuid4().hex}"


class Objection(models.Model):
    class Outcome(models.TextChoices):
        UPHELD = "upheld", "异议成立"
        PARTLY = "partly", "部分成立"
        REJECTED = "rejected", "异议不成立"
        WITHDRAWN = "withdrawn", "异议人撤回"

    notice = models.ForeignKey(
        NoticePeriod, verbose_name="公示", on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="异议对象",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField("异议人姓名或单位", max_length=100)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("Email", blank=True)
    content = models.TextField("异议内容")
    attachment = models.FileField("证明材料", upload_to=objection_path, blank=True)
    attachment_original_name = models.CharField("原文件名", max_length=255, blank=True)
    attachment_content_type = models.CharField("文件类型", max_length=100, blank=True)
    attachment_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    handling_note = models.TextField("处理情况", blank=True)
    outcome = models.CharField("处理结论", max_length=10, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="") | ~models.Q(email=""), name="objection_has_contact"
            )
        ]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
