"""R5: deadlines per level (the applicants' submission and each step of the batch's chain), decided
by the server's clock; only the province extends them.

This module is the one place that answers "is this level still open?".
"""

from datetime import datetime

from django.utils import timezone

from makerspace.core.errors import RuleViolation
from makerspace.core.prepared import Prepared, PreparedIn, keep_prefetched, related_rows

from .models import Batch, DeadlineExtension, Level, Step


def effective_deadline(batch: Batch, level: str, recommending_unit_id: int | None = None) -> datetime | None:
    """The level's deadline with every extension that applies to the unit; None when the batch's
    chain has no such step."""
    deadline = batch.base_deadline(level)
    if deadline is None:
        return None
    extensions = [
        e
        for e in _extensions(batch)
        if e.level == level and e.recommending_unit_id in (None, recommending_unit_id)
    ]
    for extension in extensions:
        deadline = max(deadline, extension.new_deadline)
    return deadline


def _extensions(batch: Batch) -> list[DeadlineExtension]:
    # Cached on the instance so a page that asks for several levels costs one query.
    cache = getattr(batch, "_extension_cache", None)
    if cache is None:
        cache = batch._extension_cache = related_rows(batch, "extensions", _EXTENSIONS)
    return cache


def _extensions_of(batch_id):
    return DeadlineExtension.objects.filter(batch_id=batch_id)


# Nearly every page asks a deadline of one batch: compiled once (makerspace.core.prepared).
_EXTENSIONS = Prepared(_extensions_of, int)


def _steps_in(batch_ids: list[int]):
    # Sorted by Batch.chain (as _steps_of): no join of the batch for the steps' default ordering.
    return Step.objects.filter(batch_id__in=batch_ids).order_by()


def _extensions_in(batch_ids: list[int]):
    return DeadlineExtension.objects.filter(batch_id__in=batch_ids)


_READ_TOGETHER = {"steps": PreparedIn(_steps_in), "extensions": PreparedIn(_extensions_in)}


def read_together(batches: list[Batch], read=("steps", "extensions")) -> None:
    """The chains (`steps`) and deadline extensions of a list page's batches, one query each for
    them all in SQL compiled once, kept on each batch as prefetch_related keeps them (Batch.chain
    and _extensions read them from there)."""
    if not batches:
        return
    for name in read:
        rows: dict[int, list] = {batch.pk: [] for batch in batches}
        for row in _READ_TOGETHER[name]([batch.pk for batch in batches]):
            rows[row.batch_id].append(row)
        for batch in batches:
            keep_prefetched(batch, name, rows[batch.pk])


def deadline_problem(batch: Batch, level: str, recommending_unit_id: int | None = None, now=None) -> str:
    """Why the level is closed, or "" while it is open."""
    if batch.status != Batch.Status.OPEN:
        return f"“{batch.title}”当前不在受理期（{batch.get_status_display()}）。"
    deadline = effective_deadline(batch, level, recommending_unit_id)
    if deadline is None:
        return f"“{batch.title}”的审核链没有“{Level(level).label}”环节。"
    if (now or timezone.now()) > deadline:
        local = timezone.localtime(deadline).strftime("%Y年%m月%d日 %H:%M")
        return f"{Level(level).label}已于{local}截止，以服务器时间为准。"
    return ""


def is_open(batch: Batch, level: str, recommending_unit_id: int | None = None, now=None) -> bool:
    return not deadline_problem(batch, level, recommending_unit_id, now)


def ensure_open(batch: Batch, level: str, recommending_unit_id: int | None = None) -> None:
    problem = deadline_problem(batch, level, recommending_unit_id)
    if problem:
        raise RuleViolation("R5", problem)
