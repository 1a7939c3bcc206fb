"""Issue 14, the deadline rush: the applicant's writes read and write no more than they need, and
none of that weakens what they guarantee (optimistic locking, the audit row with every write, R8
checked by the transition itself)."""

from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from makerspace.applications import services
from makerspace.applications.forms import BasicInfoSectionForm
from makerspace.applications.models import Application, Attachment, SectionDraft
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.applications.tests.services.test_section_save import basic_form, form_data
from makerspace.audit.models import AuditEvent
from makerspace.audit.services import audit_verify
from makerspace.core.errors import RuleViolation, StateConflict

pytestmark = pytest.mark.django_db


def _sql(captured) -> str:
    return "\n".join(query["sql"] for query in captured)


def test_an_unchanged_section_save_writes_nothing_and_asks_the_database_for_no_constraint(world):
    application = world.complete_draft()
    SectionDraft.objects.create(application=application, section="basic:scale", data={"team_size": "x"})
    with CaptureQueriesContext(connection) as captured:
        form = basic_form(application, "scale")
        services.section_save(
            user=world.applicant,
            application=application,
            section="basic:scale",
            form=form,
            expected_row_version=application.row_version,
        )
    sql = _sql(captured)
    assert "_check" not in sql and "UPDATE" not in sql and "FOR" not in sql, sql
    assert not SectionDraft.objects.filter(application=application).exists()  # still cleared


def test_a_changed_section_is_still_checked_against_the_constraints(world):
    """The database's CHECK constraints are asked of a real change, and an impossible pair of
    values is refused with its message beside the field."""
    application = world.complete_draft()
    unbound = BasicInfoSectionForm(instance=application.basic_info, section_name="scale")
    with CaptureQueriesContext(connection) as captured:
        form = BasicInfoSectionForm(
            {**form_data(unbound), "team_size": "21"}, instance=application.basic_info, section_name="scale"
        )
        assert form.is_valid(), form.errors
    assert "_check" in _sql(captured)
    wrong = BasicInfoSectionForm(
        {**form_data(unbound), "team_size": "3", "team_college_count": "9"},
        instance=application.basic_info,
        section_name="scale",
    )
    assert not wrong.is_valid()
    assert wrong.errors["team_college_count"] == ["大专以上人数不能超过管理团队人员总数（3人）。"]


def test_an_unchanged_save_from_a_stale_page_is_still_told_of_the_change(world):
    application = world.complete_draft()
    stale = application.row_version
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application = Application.objects.get(pk=application.pk)
    form = basic_form(application, "scale")
    with pytest.raises(StateConflict) as caught:
        services.section_save(
            user=world.applicant,
            application=application,
            section="basic:scale",
            form=form,
            expected_row_version=stale,
        )
    assert "您看到的是修改前的内容" in str(caught.value)


def test_a_locked_save_knows_the_row_version_it_wrote(world):
    application = world.complete_draft()
    form = basic_form(application, "scale", team_size="21")
    services.section_save(
        user=world.applicant,
        application=application,
        section="basic:scale",
        form=form,
        expected_row_version=application.row_version,
    )
    stored = Application.objects.get(pk=application.pk)
    assert (application.row_version, application.updated_at, application.is_signed) == (
        stored.row_version,
        stored.updated_at,
        False,
    )


def test_a_failing_audit_row_rolls_back_the_whole_upload(world, settings):
    """The audit row takes no savepoint of its own: its failure is the write's failure."""
    application = world.complete_draft()
    row_version, audit, attachments = (
        application.row_version,
        AuditEvent.objects.count(),
        Attachment.objects.count(),
    )
    media = Path(settings.MEDIA_ROOT)
    files = sorted(media.rglob("*")) if media.exists() else []
    with (
        mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("audit table unavailable")),
        pytest.raises(DatabaseError),
    ):
        services.attachment_add_by_applicant(
            user=world.applicant,
            application=application,
            kind=Attachment.Kind.EVIDENCE,
            title="",
            upload=pdf_upload(),
        )
    assert Attachment.objects.count() == attachments
    assert Application.objects.get(pk=application.pk).row_version == row_version
    assert AuditEvent.objects.count() == audit
    assert (sorted(media.rglob("*")) if media.exists() else []) == files
    assert audit_verify()[1] is None


def test_a_refused_submission_leaves_the_instance_as_the_database_holds_it(world):
    application = world.draft()
    with pytest.raises(RuleViolation):
        services.application_submit(user=world.applicant, application=application)
    assert (application.current_version, application.submitted_at, application.state) == (0, None, "draft")


def test_a_submission_reads_the_credit_register_once_and_its_transition_still_checks_r8(world):
    application = world.complete_draft()
    with CaptureQueriesContext(connection) as captured:
        services.application_submit(user=world.applicant, application=application)
    reads = [q for q in captured if q["sql"].startswith("SELECT") and "credit_creditrecord" in q["sql"]]
    assert len(reads) == 1
    assert application.state == "at_supervisor"  # the caller's instance is the submitted one


def test_the_submitted_instance_is_the_committed_row_without_reading_it_again(world):
    """After the commit the caller's instance takes what the fired copy committed, without a query
    of its own, and the next transition fired on it starts from the submitted state."""
    application = world.complete_draft()
    with CaptureQueriesContext(connection) as captured:
        services.application_submit(user=world.applicant, application=application)
    after_commit = [q["sql"] for q in captured][-1]
    assert after_commit == "COMMIT" or after_commit.startswith("RELEASE SAVEPOINT")
    stored = Application.objects.get(pk=application.pk)
    for field in Application._meta.concrete_fields:
        assert getattr(application, field.attname) == getattr(stored, field.attname), field.name
    services.application_withdraw(user=world.applicant, application=application, reason="不再申报")
    assert Application.objects.get(pk=application.pk).state == "withdrawn"
