from celery import shared_task

from .services import audit_anchor


@shared_task(name="audit.anchor", acks_late=True, time_limit=300)
def anchor_audit_head() -> int:
    """Celery beat runs this periodically (CELERY_BEAT_SCHEDULE); returns the anchored sequence."""
    line = audit_anchor()
    return line["sequence"] if line else 0
