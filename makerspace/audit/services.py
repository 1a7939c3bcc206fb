import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from makerspace.core.prepared import Prepared

from .models import AuditChainHead, AuditEvent


def _chain_key() -> bytes:
    """The chain's MAC key comes from settings (DJANGO_AUDIT_KEY), never from the database, so
    whoever can write the audit table cannot recompute a valid chain. Without its own key it is
    derived from SECRET_KEY."""
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"makerspace.audit.chain", hashlib.sha256).digest()


def _digest(prev_hash: str, fields: dict) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(_chain_key(), (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
    return {
        "sequence": event.sequence,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "application_id": event.application_id,
        "summary": event.summary,
        "payload": event.payload,
    }


def audit_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    application=None,
    summary: str = "",
    payload: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (or queue it, inside
    `audit_together`).

    No savepoint of its own (two queries more per audited write): a failure here rolls back the
    caller's whole transaction, so no write outlives the audit row it was meant to have. Outside
    a transaction the block is one, holding the head's lock until the row and head are written."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(str(actor) if actor is not None and actor.is_authenticated else "匿名"),
        role=getattr(actor, "role", "") or "",
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        application=application,
        summary=summary[:300],
        payload=json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str)),
    )
    queued = _queued.get()
    if queued is not None:
        queued.append(event)
    else:
        _append([event])
    return event


# The events `audit_record` queues inside `audit_together`; None outside it.
_queued: ContextVar[list[AuditEvent] | None] = ContextVar("audit_queued", default=None)


@contextmanager
def audit_together() -> Iterator[None]:
    """Inside this block, itself inside the caller's transaction, `audit_record` queues its events;
    they are appended in the order recorded, under one lock of the chain's head, as the block ends
    (and not at all when it raises: the transaction is rolled back with them). A write that records
    several events (a submission: its R8 look-up and its transition) locks and moves the head once,
    and last, holding it the shortest time. Only for a block that lets every exception out: an
    event queued in a savepoint that was rolled back and caught inside would still be appended."""
    queued: list[AuditEvent] = []
    token = _queued.set(queued)
    try:
        yield
    finally:
        _queued.reset(token)
    _append(queued)


def _head_for_update(pk: int):
    return AuditChainHead.objects.select_for_update().filter(pk=pk)


# Every audited write locks the head: its read compiled once (makerspace.core.prepared).
_HEAD_FOR_UPDATE = Prepared(_head_for_update, int)


def _locked_head() -> AuditChainHead:
    """The chain's head, locked by the caller's transaction (made by the first write ever)."""
    head = _HEAD_FOR_UPDATE.first(1)
    if head is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _append(events: list[AuditEvent]) -> None:
    """Chain `events` after the head, stamped with the time they are appended (so time follows
    the sequence), and move the head past them."""
    if not events:
        return
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        at = timezone.now()
        for event in events:
            event.sequence = head.last_sequence + 1
            event.at = at
            event.prev_hash = head.last_hash
            event.hash = _digest(event.prev_hash, _hashed_fields(event))
            head.last_hash = event.hash
            head.last_sequence = event.sequence
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events)
        head.save(update_fields=["last_hash", "last_sequence"])


def _anchor_mac(sequence: int, hash_: str, at: str) -> str:
    return hmac.new(_chain_key(), f"anchor:{sequence}:{hash_}:{at}".encode(), hashlib.sha256).hexdigest()


def audit_anchor() -> dict | None:
    """Append the chain's signed head to AUDIT_ANCHOR_PATH, a file outside the database (run
    periodically: `manage.py anchor_audit` or the Celery beat task). Rows deleted from the end, or
    a chain rewritten by someone holding the key, no longer match an anchor written before."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_sequence == 0:
        return None
    at = timezone.now().isoformat()
    line = {
        "sequence": head.last_sequence,
        "hash": head.last_hash,
        "at": at,
        "mac": _anchor_mac(head.last_sequence, head.last_hash, at),
    }
    path = Path(settings.AUDIT_ANCHOR_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return line


def _anchors() -> tuple[dict[int, str], str | None]:
    """The signed heads exported so far, by sequence; or the first line whose signature fails."""
    path = Path(settings.AUDIT_ANCHOR_PATH)
    if not path.exists():
        return {}, None
    anchors: dict[int, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            line = json.loads(raw)
            sequence, hash_, at, mac = int(line["sequence"]), str(line["hash"]), str(line["at"]), line["mac"]
        except (ValueError, KeyError, TypeError):
            return {}, f"签名锚点第{number}行无法读取"
        if not hmac.compare_digest(str(mac), _anchor_mac(sequence, hash_, at)):
            return {}, f"签名锚点第{number}行的签名无效"
        anchors[sequence] = hash_
    return anchors, None


def audit_verify() -> tuple[int, str | None]:
    """Walk the chain; return (rows checked, description of the first broken link or None).

    Every row's keyed MAC is recomputed, and every signed anchor must name a row that is still
    there with the same hash."""
    anchors, broken_anchor = _anchors()
    if broken_anchor:
        return 0, broken_anchor
    prev_hash = "0" * 64
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return checked, f"第{expected_sequence}条记录缺失（下一条为第{event.sequence}条）"
        if event.prev_hash != prev_hash:
            return checked, f"第{event.sequence}条记录的前序哈希与上一条不符"
        if _digest(prev_hash, _hashed_fields(event)) != event.hash:
            return checked, f"第{event.sequence}条记录内容已被修改"
        if event.sequence in anchors and anchors[event.sequence] != event.hash:
            return checked, f"第{event.sequence}条记录与签名锚点不符"
        prev_hash = event.hash
        expected_sequence += 1
        checked += 1
    if anchors and max(anchors) > checked:
        return checked, f"锚点记录的第{max(anchors)}条记录缺失：链上只有{checked}条"
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence != checked:
        return checked, f"链尾记录缺失：应有{head.last_sequence}条，实有{checked}条"
    return checked, None
