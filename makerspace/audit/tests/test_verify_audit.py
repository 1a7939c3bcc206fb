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
