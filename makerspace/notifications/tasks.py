import logging
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from makerspace.core.site import absolute_url

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=8, retry_backoff=30, retry_backoff_max=1800, acks_late=True)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Mail each notification to its recipient when the recipient has an e-mail address.

    Idempotent: a notification already mailed is skipped, so a job delivered twice mails once. A
    mail server that is down leaves the failed ones to a later retry (with back-off); the rest are
    still sent."""
    sent = 0
    failed = []
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for notification in pending.select_related("recipient"):
        address = notification.recipient.email
        if not address:
            continue
        body = notification.body
        if notification.link:
            body += f"\n\n查看详情：{absolute_url(notification.link)}"
        try:
            sent += send_mail(
                subject=f"【专业化众创空间备案推荐系统】{notification.title}",
                message=body,
                from_email=None,
                recipient_list=[address],
            )
        except (SMTPException, OSError):
            logger.exception("notification mail %s to %s failed", notification.pk, address)
            failed.append(notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    if failed:
        if self.request.is_eager:
            # No broker to retry on: the outbox entry stays pending for `dispatch_outbox`.
            raise SMTPException(f"{len(failed)} 封通知邮件未能发出")
        raise self.retry(args=[failed])
    return sent


@shared_task(name="notifications.deadline_reminders", acks_late=True, time_limit=600)
def deadline_reminders() -> int:
    """Celery beat runs this every hour (CELERY_BEAT_SCHEDULE); each threshold goes out once."""
    from .reminders import send_deadline_reminders

    return len(send_deadline_reminders())
