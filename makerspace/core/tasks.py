from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(
    name="core.send_email",
    bind=True,
    autoretry_for=(SMTPException, OSError),
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=1800,
    acks_late=True,
)
def send_email(self, subject: str, body: str, to: list[str]) -> int:
    """One e-mail written by a service and recorded in the outbox with its change."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@shared_task(name="core.dispatch_outbox", acks_late=True, time_limit=120)
def dispatch_outbox() -> int:
    from .outbox import outbox_dispatch_pending, outbox_prune

    outbox_prune()
    return outbox_dispatch_pending()[0]
