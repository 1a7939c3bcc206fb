"""The one place that decides whether the province's list may move on to the ministry after a
公示: only once the period has ended and every objection is closed, and only for applications
that were on the list. A batch that was never put on notice is not held back (the notice makes
the 公示 optional; later practice uses it)."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.utils import timezone

from makerspace.core.errors import RuleViolation
from makerspace.core.prepared import Prepared

from .models import NoticeEntry, NoticePeriod, Objection

RULE = "公示"

# Inside `read_once()`, a batch's 公示 (its latest notice period, its open objections) is read
# once: a page shows it in its own panel and again among the reasons of an action it offers
# (workflow.batch_unmet runs the same rule), in one moment with nothing written in between.
_read: ContextVar[dict | None] = ContextVar("publicity_read", default=None)


@contextmanager
def read_once():
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


def _once(key: tuple, read):
    memo = _read.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _latest_notice_of(batch_id: int):
    return NoticePeriod.objects.filter(batch_id=batch_id).order_by("-starts_on", "-pk")[:1]


# The province's batch page asks for it on every visit: compiled once (makerspace.core.prepared).
_LATEST_NOTICE = Prepared(_latest_notice_of, int)


def latest_notice(batch) -> NoticePeriod | None:
    return _once(("notice", batch.pk), lambda: _LATEST_NOTICE.first(batch.pk))


def _open_objections(batch) -> int:
    return _once(
        ("objections", batch.pk),
        lambda: Objection.objects.filter(notice__batch=batch, closed_at__isnull=True).count(),
    )


def publicity_blockers(batch, application=None, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    latest = latest_notice(batch)
    if latest is None:
        return []
    blockers = []
    if not latest.has_ended_by(today):
        blockers.append(f"“{latest.title}”公示期至{latest.ends_on:%Y年%m月%d日}，期满后才能报送科技部")
    open_objections = _open_objections(batch)
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
