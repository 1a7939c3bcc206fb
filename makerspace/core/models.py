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
