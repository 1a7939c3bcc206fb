import pytest
from django.core.exceptions import ValidationError

from makerspace.applications import services
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.errors import StateConflict

pytestmark = pytest.mark.django_db

BEFORE_THE_MINISTRY = {
    State.DRAFT: [],
    State.AT_SUPERVISOR: [],
    State.AT_RECOMMENDER: ["forward"],
    State.RECOMMENDED: ["forward", "recommend"],
    State.DELIVERED: ["forward", "recommend", "deliver"],
    State.RECEIVED: ["forward", "recommend", "deliver", "receive"],
    State.FORMAL_PASSED: ["forward", "recommend", "deliver", "receive", "pass_formal_review"],
}
AT_OR_AFTER_THE_MINISTRY = {
    State.RECOMMENDED_TO_MINISTRY: [*BEFORE_THE_MINISTRY[State.FORMAL_PASSED], "select"],
    State.FILED: [*BEFORE_THE_MINISTRY[State.FORMAL_PASSED], "select", "file"],
}


def in_state(world, state, path):
    application = world.complete_draft() if state == State.DRAFT else world.submitted()
    world.advance(application, *path)
    assert application.state == state
    return application


@pytest.mark.parametrize("state", list(BEFORE_THE_MINISTRY))
def test_the_applicant_withdraws_with_a_reason_before_the_ministry_stage(world, state):
    application = in_state(world, state, BEFORE_THE_MINISTRY[state])
    event = services.application_withdraw(user=world.applicant, application=application, reason="场地调整")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert (event.source, event.target, event.comment, event.actor) == (
        state,
        State.WITHDRAWN,
        "场地调整",
        world.applicant,
    )
    assert AuditEvent.objects.filter(action="application.withdraw", application=application).exists()


@pytest.mark.parametrize("state", list(AT_OR_AFTER_THE_MINISTRY))
def test_the_applicant_cannot_withdraw_once_the_ministry_has_it(world, state):
    application = in_state(world, state, AT_OR_AFTER_THE_MINISTRY[state])
    with pytest.raises(StateConflict):
        services.application_withdraw(user=world.applicant, application=application, reason="场地调整")
    application.refresh_from_db()
    assert application.state == state


def test_withdrawing_needs_a_reason(world):
    application = world.submitted()
    with pytest.raises(ValidationError):
        services.application_withdraw(user=world.applicant, application=application, reason="  ")
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR


def test_only_the_owner_withdraws(world):
    from django.core.exceptions import PermissionDenied

    from makerspace.core.tests.factories import UserFactory

    application = world.submitted()
    stranger = UserFactory(role="applicant")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(user=stranger, application=application, reason="恶意撤回")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(user=world.supervisor, application=application, reason="代为撤回")
