"""Issued documents (verifiable by code and hash), background document jobs, and imports."""

import uuid

from django.conf import settings
from django.db import models

from makerspace.core.models import SpreadsheetImport


class Kind(models.TextChoices):
    """Every document the system generates, with the notice's own name for it."""

    BASIC_INFO = "basic_info", "附件2 专业化众创空间基础信息表"
    REPORT = "report", "附件3 国家专业化众创空间备案申报书"
    COMMITMENT_APPLICANT = "commitment_applicant", "附件4 申报单位信用承诺书"
    COMMITMENT_SUPERVISOR = "commitment_supervisor", "附件5 主管部门信用承诺书"
    RECOMMENDATION_LETTER = "recommendation_letter", "推荐函"
    PROVINCE_LETTER = "province_letter", "省科技厅推荐函"
    PACKAGE = "package", "申报材料合订本"


APPLICATION_KINDS = [Kind.BASIC_INFO, Kind.REPORT, Kind.COMMITMENT_APPLICANT, Kind.COMMITMENT_SUPERVISOR]


class Format(models.TextChoices):
    DOCX = "docx", "Word（.docx）"
    PDF = "pdf", "PDF"


def issued_path(instance: "IssuedDocument", filename: str) -> str:
    return f"issued/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class IssuedDocument(models.Model):
    """A document handed out with a verification code. Its bytes are kept so every later download
    of the same inputs gives the very same file, and its SHA-256 lets anyone check a copy."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    batch = models.ForeignKey(
        "batches.Batch",
        verbose_name="申报批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version_number = models.PositiveIntegerField("版本号", null=True, blank=True)
    kind = models.CharField("文件类型", max_length=30, choices=Kind.choices)
    format = models.CharField("格式", max_length=10, choices=Format.choices)
    title = models.CharField("标题", max_length=200)
    input_sha256 = models.CharField("内容来源摘要", max_length=64)
    code = models.CharField("验证码", max_length=20, unique=True)
    sha256 = models.CharField("文件SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    file = models.FileField("文件", upload_to=issued_path)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "已签发文件"
        verbose_name_plural = "已签发文件"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "format", "input_sha256"], name="one_issued_document_per_input"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"


def job_path(instance: "DocumentJob", filename: str) -> str:
    return f"jobs/{instance.pk}/{uuid.uuid4().hex}"


class DocumentJob(models.Model):
    """A package or dossier built in the background, keyed by the hash of everything it contains,
    so an unchanged set is never built twice."""

    class JobKind(models.TextChoices):
        PACKAGE = "package", "申报材料合订本（PDF）"
        UNIT_DOSSIER = "unit_dossier", "推荐单位报送材料包（ZIP）"
        BATCH_DOSSIER = "batch_dossier", "省级推荐材料包（ZIP）"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=20, choices=JobKind.choices)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version_number = models.PositiveIntegerField("版本号", null=True, blank=True)
    batch = models.ForeignKey(
        "batches.Batch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    input_sha256 = models.CharField("输入摘要", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    file = models.FileField("文件", upload_to=job_path, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    sha256 = models.CharField("文件SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # A running job beats at every step; one silent for longer than DOCUMENT_JOB_STALE_SECONDS has
    # lost its worker and is re-queued (up to DOCUMENT_JOB_MAX_ATTEMPTS runs) or failed.
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)

    class Meta:
        verbose_name = "文件生成任务"
        verbose_name_plural = "文件生成任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but its worker has not been heard of for too long (shown as interrupted until
        the next reaping re-queues or fails it)."""
        from datetime import timedelta

        from django.utils import timezone

        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.created_at
        return last < timezone.now() - timedelta(seconds=settings.DOCUMENT_JOB_STALE_SECONDS)


class ApplicationImport(SpreadsheetImport):
    """An uploaded 附件2 spreadsheet between preview and confirmation: nothing is written to the
    applications until the importer confirms the valid rows."""

    batch = models.ForeignKey(
        "batches.Batch", verbose_name="申报批次", on_delete=models.PROTECT, related_name="+"
    )
    created_count = models.PositiveIntegerField("已创建申报数", default=0)

    class Meta(SpreadsheetImport.Meta):
        verbose_name = "申报导入"
        verbose_name_plural = "申报导入"


class LetterSettings(models.Model):
    """What a letter says that the system cannot know: the letter's own 文号, its 联系人 and 电话 and
    whom it is copied to (抄送), per batch and recommending unit; the row without a unit holds the
    province letter's and the batch's notice title (the notice the letters cite with the batch's 文号)."""

    batch = models.ForeignKey(
        "batches.Batch", verbose_name="申报批次", on_delete=models.CASCADE, related_name="+"
    )
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name="推荐单位",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空为省科技厅的函（及本批次通知标题）。",
    )
    notice_title = models.CharField(
        "通知标题",
        max_length=200,
        blank=True,
        help_text="函中引用的通知全称（不含书名号），仅在省级设置中填写。",
    )
    letter_number = models.CharField(
        "本函文号", max_length=50, blank=True, help_text="如：宁科函〔2026〕17号"
    )
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    cc = models.CharField("抄送", max_length=200, blank=True, help_text="多个单位以顿号分隔。")

    class Meta:
        verbose_name = "函件设置"
        verbose_name_plural = "函件设置"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "recommending_unit"], name="one_letter_settings_per_unit_and_batch"
            ),
            models.UniqueConstraint(
                fields=["batch"],
                condition=models.Q(recommending_unit__isnull=True),
                name="one_province_letter_settings_per_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.recommending_unit or '省科技厅'}"
