from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in a user's inbox: someone must act next, or is told of a decision."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Set once the mail has gone out: a mail job delivered twice (the outbox is at-least-once)
    # sends nothing the second time.
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeadlineReminder(models.Model):
    """One reminder sent to one user before one deadline, at one threshold (7, 3 or 1 days).

    The unique constraint is what makes each threshold go out exactly once, however often the
    periodic task runs and on however many servers; an extended deadline is a new deadline and is
    reminded afresh."""

    batch = models.ForeignKey("batches.Batch", verbose_name="申报批次", on_delete=models.CASCADE)
    level = models.CharField("环节", max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE)
    days = models.PositiveSmallIntegerField("提前天数")
    deadline = models.DateTimeField("截止时间")
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "截止提醒"
        verbose_name_plural = "截止提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "level", "recipient", "days", "deadline"], name="one_reminder_per_threshold"
            )
        ]
