"""`manage.py verify_audit` passes on an intact chain and names the first broken link."""

from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command

from makerspace.audit.models import AuditChainHead, AuditEvent
from makerspace.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    """A real chain: the events the services write while an application is built and submitted."""
    world.advance(world.submitted(), "forward", "recommend", "deliver")
    events = list(AuditEvent.objects.order_by("sequence"))
    assert len(events) >= 8
    return events


def run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_an_intact_chain_passes(chain):
    output = run()
    assert f"审计日志完整：共{len(chain)}条记录" in output
    assert audit_verify() == (len(chain), None)


def test_every_row_links_to_the_one_before(chain):
    assert chain[0].prev_hash == "0" * 64
    for before, after in pairwise(chain):
        assert after.prev_hash == before.hash
        assert after.sequence == before.sequence + 1
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (chain[-1].sequence, chain[-1].hash)


def test_a_changed_summary_is_reported_at_its_row(chain):
    tampered = chain[3]
    AuditEvent.objects.filter(pk=tampered.pk).update(summary=tampered.summary + "（已篡改）")
    with pytest.raises(CommandError) as caught:
        run()
    assert f"第{tampered.sequence}条记录内容已被修改" in str(caught.value)
    assert "已校验3条" in str(caught.value)


@pytest.mark.parametrize("field", ["payload", "actor_label", "action", "at"])
def test_any_changed_field_breaks_the_chain(chain, field):
    from datetime import timedelta

    tampered = chain[2]
    value = {
        "payload": {"forged": True},
        "actor_label": "他人",
        "action": "application.forged",
        "at": tampered.at - timedelta(days=1),
    }[field]
    AuditEvent.objects.filter(pk=tampered.pk).update(**{field: value})
    checked, problem = audit_verify()
    assert (checked, problem) == (2, f"第{tampered.sequence}条记录内容已被修改")


def test_a_deleted_row_is_reported_as_missing(chain):
    AuditEvent.objects.filter(pk=chain[4].pk).delete()
    with pytest.raises(CommandError) as caught:
        run()
    assert f"第{chain[4].sequence}条记录缺失（下一条为第{chain[5].sequence}条）" in str(caught.value)


def test_a_deleted_last_row_is_reported(chain):
    AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    with pytest.raises(CommandError) as caught:
        run()
    assert f"链尾记录缺失：应有{len(chain)}条，实有{len(chain) - 1}条" in str(caught.value)


def test_a_recomputed_hash_does_not_hide_the_change(chain):
    """Forging one row's hash to match its new content breaks the next row's link instead."""
    from makerspace.audit.services import _digest, _hashed_fields

    tampered = AuditEvent.objects.get(pk=chain[3].pk)
    tampered.summary = "伪造的摘要"
    tampered.hash = _digest(tampered.prev_hash, _hashed_fields(tampered))
    tampered.save()
    checked, problem = audit_verify()
    assert (checked, problem) == (4, f"第{chain[4].sequence}条记录的前序哈希与上一条不符")


def test_new_events_continue_a_verified_chain(chain):
    audit_record(action="test.event", summary="之后的事件")
    assert audit_verify() == (len(chain) + 1, None)


def test_an_empty_log_passes():
    assert "共0条记录" in run()


# Issue 15: the chain is keyed and anchored outside the database ---------------------------------


def _unkeyed_digest(prev_hash: str, fields: dict) -> str:
    """What anyone who reads the code can compute: the chain's algorithm without its key."""
    import hashlib
    import json

    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def test_rewriting_every_hash_from_a_row_onward_is_detected(chain):
    """The database writer changes a row and recomputes every later hash and the head: without
    the key (in settings, not in the database) the recomputed hashes do not verify."""
    from makerspace.audit.services import _hashed_fields

    rows = list(AuditEvent.objects.order_by("sequence"))
    prev = rows[2].prev_hash
    for number, row in enumerate(rows[2:]):
        if number == 0:
            row.summary = "伪造的摘要"
        row.prev_hash = prev
        row.hash = _unkeyed_digest(prev, _hashed_fields(row))
        AuditEvent.objects.filter(pk=row.pk).update(
            summary=row.summary, prev_hash=row.prev_hash, hash=row.hash
        )
        prev = row.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert audit_verify() == (2, f"第{rows[2].sequence}条记录内容已被修改")


def test_the_chain_key_lives_in_settings(chain, settings):
    settings.AUDIT_HMAC_KEY = "another-key-than-the-one-that-wrote-the-chain"
    assert audit_verify() == (0, f"第{chain[0].sequence}条记录内容已被修改")


def _anchor(settings, tmp_path):
    settings.AUDIT_ANCHOR_PATH = tmp_path / "anchors" / "audit-anchors.jsonl"
    call_command("anchor_audit", stdout=__import__("io").StringIO())
    return settings.AUDIT_ANCHOR_PATH


def test_deleting_the_newest_rows_and_moving_the_head_is_detected_by_the_signed_anchor(
    chain, settings, tmp_path
):
    path = _anchor(settings, tmp_path)
    assert path.exists()
    kept = chain[-3]
    AuditEvent.objects.filter(sequence__gt=kept.sequence).delete()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=kept.sequence, last_hash=kept.hash)
    with pytest.raises(CommandError) as caught:
        run()
    assert f"锚点记录的第{chain[-1].sequence}条记录缺失" in str(caught.value)


def test_a_rewritten_row_below_an_anchor_is_detected_even_with_the_key(chain, settings, tmp_path):
    """A writer who also holds the key rewrites the chain: the exported head no longer matches."""
    from makerspace.audit.services import _digest, _hashed_fields

    _anchor(settings, tmp_path)
    rows = list(AuditEvent.objects.order_by("sequence"))
    prev = rows[0].prev_hash
    for row in rows:
        row.summary = row.summary + "·"
        row.prev_hash = prev
        row.hash = _digest(prev, _hashed_fields(row))
        AuditEvent.objects.filter(pk=row.pk).update(summary=row.summary, prev_hash=prev, hash=row.hash)
        prev = row.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert audit_verify()[1] == f"第{rows[-1].sequence}条记录与签名锚点不符"


def test_a_forged_anchor_line_is_refused(chain, settings, tmp_path):
    import json

    path = _anchor(settings, tmp_path)
    line = json.loads(path.read_text().splitlines()[-1])
    line["sequence"] = line["sequence"] + 5
    path.write_text(path.read_text() + json.dumps(line) + "\n")
    assert audit_verify()[1] == "签名锚点第2行的签名无效"


def test_anchoring_twice_appends_and_new_rows_still_verify(chain, settings, tmp_path):
    path = _anchor(settings, tmp_path)
    audit_record(action="test.event", summary="之后的事件")
    call_command("anchor_audit", stdout=__import__("io").StringIO())
    assert len(path.read_text().splitlines()) == 2
    audit_record(action="test.event", summary="锚点之后的事件")
    assert audit_verify() == (len(chain) + 2, None)
