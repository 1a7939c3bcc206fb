"""Submission and review decisions are atomic and idempotent: a fault midway leaves the previous
state whole (no version, no event, no audit row, state and row version unchanged)."""

import pytest
from django.db import DatabaseError

from makerspace.applications import services
from makerspace.applications.models import Application, ApplicationEvent, ApplicationVersion
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_verify
from makerspace.core.errors import StateConflict

pytestmark = pytest.mark.django_db


def _snapshot(application: Application) -> dict:
    fresh = Application.objects.get(pk=application.pk)
    return {
        "state": fresh.state,
        "row_version": fresh.row_version,
        "current_version": fresh.current_version,
        "submitted_at": fresh.submitted_at,
        "reached_level": fresh.reached_level,
        "versions": ApplicationVersion.objects.filter(application=application).count(),
        "events": ApplicationEvent.objects.filter(application=application).count(),
        # The R8 credit check is kept on record whatever follows (credit.services), so it is not
        # part of the state a fault must leave whole.
        "audit": AuditEvent.objects.exclude(action="credit.check").count(),
    }


def _fail_on(action_prefix: str, real):
    def audit_record(**kwargs):
        if kwargs["action"].startswith(action_prefix):
            raise DatabaseError("injected fault")
        return real(**kwargs)

    return audit_record


def test_a_fault_in_the_audit_row_of_a_submission_leaves_the_draft_whole(world, monkeypatch):
    application = world.complete_draft()
    before = _snapshot(application)
    monkeypatch.setattr(services, "audit_record", _fail_on("application.submit", services.audit_record))
    with pytest.raises(DatabaseError):
        services.application_submit(user=world.applicant, application=application)
    assert _snapshot(application) == before
    assert before["state"] == State.DRAFT and before["versions"] == 0
    assert audit_verify()[1] is None


def test_a_fault_while_freezing_the_version_leaves_the_draft_whole(world, monkeypatch):
    application = world.complete_draft()
    before = _snapshot(application)

    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ApplicationVersion.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.application_submit(user=world.applicant, application=application)
    assert _snapshot(application) == before


def test_after_a_fault_the_same_submission_succeeds_once(world, monkeypatch):
    application = world.complete_draft()
    with monkeypatch.context() as patch:
        patch.setattr(services, "audit_record", _fail_on("application.submit", services.audit_record))
        with pytest.raises(DatabaseError):
            services.application_submit(user=world.applicant, application=application)
    version = services.application_submit(user=world.applicant, application=application)
    assert version.number == 1
    with pytest.raises(StateConflict):
        services.application_submit(user=world.applicant, application=application)
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert ApplicationEvent.objects.filter(application=application, transition="submit").count() == 1


def test_a_fault_in_a_review_decision_leaves_the_state_and_history_unchanged(world, monkeypatch):
    application = world.submitted()
    before = _snapshot(application)

    def broken_create(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(ApplicationEvent.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.application_transition(
            user=world.supervisor, application=application, name="return_to_applicant", comment="请补充。"
        )
    assert _snapshot(application) == before
    assert before["state"] == State.AT_SUPERVISOR


def test_a_fault_in_the_audit_row_of_a_decision_rolls_back_the_event_too(world, monkeypatch):
    application = world.submitted()
    before = _snapshot(application)
    monkeypatch.setattr(
        services, "audit_record", _fail_on("application.return_to_applicant", services.audit_record)
    )
    with pytest.raises(DatabaseError):
        services.application_transition(
            user=world.supervisor, application=application, name="return_to_applicant", comment="请补充。"
        )
    assert _snapshot(application) == before


def test_two_reviewers_deciding_at_once_make_one_decision(world):
    application = world.submitted()
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    services.application_transition(
        user=world.supervisor, application=first, name="return_to_applicant", comment="请补充。"
    )
    with pytest.raises(StateConflict):
        services.application_transition(
            user=world.supervisor, application=second, name="return_to_applicant", comment="请补充。"
        )
    assert (
        ApplicationEvent.objects.filter(application=application, transition="return_to_applicant").count()
        == 1
    )
    assert Application.objects.get(pk=application.pk).state == State.RETURNED


def test_several_decisions_in_one_transaction_are_all_or_nothing(world, monkeypatch):
    """What a unit's batch submission relies on: a fault in the last application undoes all."""
    from django.db import transaction

    applications = [world.submitted() for _ in range(3)]
    before = [_snapshot(a) for a in applications]
    monkeypatch.setattr(
        services,
        "audit_record",
        _fail_on_target(applications[-1].pk, services.audit_record),
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        for application in applications:
            services.application_transition(
                user=world.supervisor, application=application, name="return_to_applicant", comment="请补充。"
            )
    assert [_snapshot(a) for a in applications] == before


def _fail_on_target(application_pk: int, real):
    def audit_record(**kwargs):
        application = kwargs.get("application")
        if application is not None and application.pk == application_pk:
            raise DatabaseError("injected fault")
        return real(**kwargs)

    return audit_record


def test_a_fault_in_a_unit_batch_submission_leaves_every_application_undelivered(world, monkeypatch):
    from makerspace.core.errors import RuleViolation
    from makerspace.reviews import chain
    from makerspace.reviews import services as review_services

    first, second = world.recommended(), world.recommended()
    submission = review_services.unit_submission_open(batch=world.batch, unit=world.unit)
    review_services.recommender_ranks_set(
        user=world.recommender, submission=submission, ranks={first.pk: 1, second.pk: 2}
    )
    review_services.unit_letter_upload(
        user=world.recommender, submission=submission, upload=chain.scan("letter")
    )
    before = [_snapshot(first), _snapshot(second)]
    with monkeypatch.context() as patch:
        patch.setattr(services, "audit_record", _fail_on_target(second.pk, services.audit_record))
        with pytest.raises(DatabaseError):
            review_services.unit_submit(user=world.recommender, submission=submission)
    assert [_snapshot(first), _snapshot(second)] == before
    submission.refresh_from_db()
    assert submission.submitted_at is None

    events = review_services.unit_submit(user=world.recommender, submission=submission)
    assert len(events) == 2
    with pytest.raises(RuleViolation):
        review_services.unit_submit(user=world.recommender, submission=submission)
    assert ApplicationEvent.objects.filter(transition="deliver").count() == 2


def test_a_fault_in_a_review_decision_leaves_the_review_undecided(world, monkeypatch):
    from makerspace.reviews import chain
    from makerspace.reviews import services as review_services
    from makerspace.reviews.models import Review

    application = world.forwarded()
    review = chain.judge_all(application, world.recommender)
    before = _snapshot(application)
    monkeypatch.setattr(services, "audit_record", _fail_on("application.recommend", services.audit_record))
    with pytest.raises(DatabaseError):
        review_services.review_decide(user=world.recommender, review=review, decision="recommend")
    assert _snapshot(application) == before
    assert Review.objects.get(pk=review.pk).decision == ""
