"""The one place that decides whether the province's list may move on to the ministry after a
公示: only once the period has ended and every objection is closed, and only for applications
that were on the list. A batch that was never put on notice is not held back (the notice makes
the 公示 optional; later practice uses it)."""

from datetime import date

from django.utils import timezone

from makerspace.core.errors import RuleViolation

from .models import NoticeEntry, NoticePeriod, Objection

RULE = "公示"


def publicity_blockers(batch, application=None, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    latest = NoticePeriod.objects.filter(batch=batch).order_by("-starts_on", "-pk").first()
    if latest is None:
        return []
    blockers = []
    if not latest.has_ended_by(today):
        blockers.append(f"“{latest.title}”公示期至{latest.ends_on:%Y年%m月%d日}，期满后才能报送科技部")
    open_objections = Objection.objects.filter(notice__batch=batch, closed_at__isnull=True).count()
    if open_objections:
        blockers.append(f"尚有{open_objections}件异议未办结")
    if (
        application is not None
        and not NoticeEntry.objects.filter(notice__batch=batch, application=application).exists()
    ):
        blockers.append(f"{application.number}未列入公示名单，须公示后才能推荐")
    return blockers


def ensure_publicity_cleared(application, today: date | None = None) -> None:
    blockers = publicity_blockers(application.batch, application, today)
    if blockers:
        raise RuleViolation(RULE, "；".join(blockers) + "。")
