"""The audit row is written in its caller's transaction without a savepoint of its own (issue 14:
two queries fewer per audited write), so a write can never outlive its failed audit row."""

import contextlib
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_record, audit_verify

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
