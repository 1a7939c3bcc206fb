import hashlib
import json

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent


def _digest(prev_hash: str, fields: dict) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


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
    """Append one event to the chain, inside the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            sequence=head.last_sequence + 1,
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=(str(actor) if actor is not None and actor.is_authenticated else "匿名"),
            role=getattr(actor, "role", "") or "",
            action=action,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            application=application,
            summary=summary[:300],
            payload=json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str)),
            prev_hash=head.last_hash,
        )
        event.hash = _digest(event.prev_hash, _hashed_fields(event))
        event.save()
        head.last_hash = event.hash
        head.last_sequence = event.sequence
        head.save(update_fields=["last_hash", "last_sequence"])
    return event


def audit_verify() -> tuple[int, str | None]:
    """Walk the chain; return (rows checked, description of the first broken link or None)."""
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
        prev_hash = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence != checked:
        return checked, f"链尾记录缺失：应有{head.last_sequence}条，实有{checked}条"
    return checked, None
