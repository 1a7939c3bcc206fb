from celery import shared_task

from .services import reminders_send


@shared_task(name="filed.report_reminders", acks_late=True, time_limit=600)
def send_report_reminders() -> int:
    """Celery beat runs this every hour (CELERY_BEAT_SCHEDULE); returns how many were reminded."""
    return reminders_send()
