from django.conf import settings
from django.db import models


class AuditChainHead(models.Model):
    """A single row locked while an event is appended, so the chain never forks under concurrency."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_sequence = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    """Append-only, hash-chained record of who did what and when.

    Each row's hash covers its own fields and the previous row's hash; `verify_audit` recomputes the
    chain and names the first row that no longer matches. The foreign keys are part of the hash, so
    they PROTECT: a user or an application with a recorded history can never be deleted.
    """

    sequence = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=60, blank=True)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField("摘要", max_length=300, blank=True)
    payload = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["sequence"]
        indexes = [models.Index(fields=["application", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"
