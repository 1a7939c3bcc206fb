import logging

from celery import shared_task
from django.core.mail import send_mail

from makerspace.core.site import absolute_url

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """Mail each notification to its recipient when the recipient has an e-mail address.

    A mail server that is down must not undo the transition nor hide the in-app notification, so a
    failure is logged and the rest are still sent."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
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
        except Exception:
            logger.exception("notification mail %s to %s failed", notification.pk, address)
    return sent


@shared_task(name="notifications.deadline_reminders", acks_late=True, time_limit=600)
def deadline_reminders() -> int:
    """Celery beat runs this every hour (CELERY_BEAT_SCHEDULE); each threshold goes out once."""
    from .reminders import send_deadline_reminders

    return len(send_deadline_reminders())
