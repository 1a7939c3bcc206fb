import pytest

from makerspace.applications import services
from makerspace.applications.models import ApplicationVersion
from makerspace.applications.workflow import State
from makerspace.core.errors import RuleViolation, StateConflict

pytestmark = pytest.mark.django_db


def test_submit_freezes_a_numbered_version_with_file_hashes(world):
    application = world.complete_draft()
    version = services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    assert version.number == 1 == application.current_version
    assert len(version.data_sha256) == 64
    hashes = [a["sha256"] for a in version.data["attachments"]]
    assert hashes == [a.sha256 for a in application.attachments.all()]
    event = application.events.get()
    assert (event.source, event.target, event.actor, event.version_number) == (
        State.DRAFT,
        State.AT_SUPERVISOR,
        world.applicant,
        1,
    )


def test_double_submit_makes_one_version(world):
    application = world.complete_draft()
    services.application_submit(user=world.applicant, application=application)
    with pytest.raises(StateConflict):
        services.application_submit(user=world.applicant, application=application)
    assert ApplicationVersion.objects.filter(application=application).count() == 1


def test_incomplete_application_cannot_be_submitted(world):
    application = world.draft()
    with pytest.raises(RuleViolation):
        services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert not application.versions.exists()
