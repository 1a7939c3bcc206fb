"""The audit row is written in its caller's transaction without a savepoint of its own (issue 14:
two queries fewer per audited write), so a write can never outlive its failed audit row."""

import contextlib
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_record, audit_together, audit_verify

pytestmark = pytest.mark.django_db


def test_an_audit_row_takes_no_savepoint_inside_its_callers_transaction():
    audit_record(action="test.first", summary="链头")  # the chain's head row is created once
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        audit_record(action="test.write", summary="写入")
    assert [q["sql"].split()[0] for q in captured] == ["SELECT", "INSERT", "UPDATE"]
    assert audit_verify() == (2, None)


def test_a_caller_that_swallows_a_failed_audit_row_cannot_go_on_to_commit_its_write():
    with pytest.raises(TransactionManagementError), transaction.atomic():
        with (
            mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("audit table unavailable")),
            contextlib.suppress(DatabaseError),
        ):
            audit_record(action="test.write", summary="写入")
        AuditEvent.objects.count()  # the transaction is marked for rollback: nothing more runs in it
    assert AuditEvent.objects.count() == 0


def test_events_recorded_together_are_appended_in_order_under_one_lock_of_the_head():
    audit_record(action="test.first", summary="链头")
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, audit_together():
        audit_record(action="test.check", summary="查询")
        audit_record(action="test.write", summary="写入")
        assert AuditEvent.objects.count() == 1  # queued, not yet appended
    head = [q["sql"].split()[0] for q in captured if "audit_auditchainhead" in q["sql"]]
    assert head == ["SELECT", "UPDATE"]
    assert len([q for q in captured if q["sql"].startswith('INSERT INTO "audit_auditevent"')]) == 1
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.sequence, e.action) for e in events] == [
        (1, "test.first"),
        (2, "test.check"),
        (3, "test.write"),
    ]
    assert events[1].at == events[2].at >= events[0].at
    assert audit_verify() == (3, None)


def test_events_recorded_together_in_a_block_that_raises_are_not_appended():
    audit_record(action="test.first", summary="链头")
    with pytest.raises(ValueError), transaction.atomic(), audit_together():
        audit_record(action="test.write", summary="写入")
        raise ValueError("refused")
    audit_record(action="test.after", summary="之后")
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", "action")) == [
        (1, "test.first"),
        (2, "test.after"),
    ]
    assert audit_verify() == (2, None)
