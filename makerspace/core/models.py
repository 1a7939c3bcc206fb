from django.conf import settings
from django.db import models


class SpreadsheetImport(models.Model):
    """An uploaded sheet between preview and confirmation: the valid rows and every bad row are
    kept, and nothing is written until the importer has seen them and confirms. Each import
    (applications, credit records) adds what it imports into."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        CONFIRMED = "confirmed", "已导入"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    rows = models.JSONField("有效行", default=list)
    errors = models.JSONField("错误", default=list)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def bad_rows(self) -> int:
        return len({e["row"] for e in self.errors})


class OutboxMessage(models.Model):
    """Work that must happen after a commit (an e-mail, a background job), written in the same
    transaction as the change it follows. It is handed to the broker once the transaction has
    committed; while the broker is unreachable it waits here and `dispatch_outbox` (every minute,
    and as a command) hands it over later, so a broker outage loses nothing and fails no request."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    task = models.CharField("任务", max_length=200)
    args = models.JSONField("参数", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("发送次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发送任务"
        verbose_name_plural = "待发送任务（outbox）"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
