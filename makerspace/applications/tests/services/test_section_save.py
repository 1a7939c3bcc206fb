"""R4: the applicant signs 附件4 for the data as it stands; any later edit voids the signature."""

import pytest

from makerspace.applications import services
from makerspace.applications.forms import BasicInfoSectionForm, ReportForm, SuccessCaseForm
from makerspace.applications.models import Attachment, SectionDraft
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.applications.workflow import State
from makerspace.audit.models import AuditEvent
from makerspace.core.errors import StateConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world):
    application = world.complete_draft()
    assert application.is_signed
    return application


def form_data(form) -> dict:
    """What a browser would post back for an unchanged form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True and field.widget.input_type == "checkbox" else value
    return data


def basic_form(application, section: str, **changes) -> BasicInfoSectionForm:
    unbound = BasicInfoSectionForm(instance=application.basic_info, section_name=section)
    form = BasicInfoSectionForm(
        {**form_data(unbound), **changes}, instance=application.basic_info, section_name=section
    )
    assert form.is_valid(), form.errors
    return form


def test_r4_saving_a_changed_section_voids_the_signature_and_is_audited(world, signed):
    form = basic_form(signed, "scale", team_size="20")
    services.section_save(user=world.applicant, application=signed, section="basic:scale", form=form)
    signed.refresh_from_db()
    assert not signed.is_signed
    assert (signed.commitment_signatory, signed.commitment_signed_by) == ("", None)
    assert signed.basic_info.team_size == 20
    event = AuditEvent.objects.filter(action="application.section_save", application=signed).get()
    assert event.payload == {"section": "basic:scale", "fields": ["team_size"]}


def test_r4_saving_an_unchanged_section_keeps_the_signature(world, signed):
    form = basic_form(signed, "scale")
    services.section_save(user=world.applicant, application=signed, section="basic:scale", form=form)
    signed.refresh_from_db()
    assert signed.is_signed
    assert not AuditEvent.objects.filter(action="application.section_save", application=signed).exists()


def test_r4_editing_the_report_voids_the_signature(world, signed):
    data = {f: getattr(signed.report, f) for f in ReportForm.Meta.fields}
    form = ReportForm({**data, "goals_and_tasks": "新的目标"}, instance=signed.report)
    assert form.is_valid()
    services.section_save(user=world.applicant, application=signed, section="report", form=form)
    signed.refresh_from_db()
    assert not signed.is_signed


def test_r4_adding_editing_or_deleting_a_case_voids_the_signature(world, signed):
    case = signed.success_cases.first()
    form = SuccessCaseForm(
        {"title": "改名", "enterprise_name": case.enterprise_name, "services": "服务", "results": "成效"},
        instance=case,
    )
    assert form.is_valid()
    services.case_save(user=world.applicant, application=signed, form=form)
    signed.refresh_from_db()
    assert not signed.is_signed

    services.commitment_sign(user=world.applicant, application=signed, signatory="王建国")
    services.case_delete(user=world.applicant, application=signed, case=signed.success_cases.last())
    signed.refresh_from_db()
    assert not signed.is_signed
    assert list(signed.success_cases.values_list("position", flat=True)) == [1, 2]


def test_r4_adding_or_removing_evidence_voids_the_signature(world, signed):
    evidence = services.attachment_add_by_applicant(
        user=world.applicant, application=signed, kind=Attachment.Kind.EVIDENCE, title="", upload=pdf_upload()
    )
    signed.refresh_from_db()
    assert not signed.is_signed

    services.commitment_sign(user=world.applicant, application=signed, signatory="王建国")
    services.attachment_remove(user=world.applicant, application=signed, attachment=evidence)
    signed.refresh_from_db()
    assert not signed.is_signed


def test_r4_uploading_the_sealed_scan_itself_keeps_the_electronic_signature(world, signed):
    """The scan is the paper twin of the signature, not part of the data it attests."""
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=signed,
        kind=Attachment.Kind.APPLICANT_COMMITMENT,
        title="",
        upload=pdf_upload("承诺书.pdf"),
    )
    signed.refresh_from_db()
    assert signed.is_signed
    current = signed.attachments.filter(kind=Attachment.Kind.APPLICANT_COMMITMENT, retired_at__isnull=True)
    assert current.count() == 1  # the earlier scan is retired, not deleted
    assert signed.attachments.filter(kind=Attachment.Kind.APPLICANT_COMMITMENT).count() == 2


def test_signing_records_who_and_when_and_needs_a_name(world, signed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.commitment_sign(user=world.applicant, application=signed, signatory="  ")
    services.commitment_sign(user=world.applicant, application=signed, signatory=" 李四 ")
    signed.refresh_from_db()
    assert (signed.commitment_signatory, signed.commitment_signed_by) == ("李四", world.applicant)
    assert AuditEvent.objects.filter(action="application.sign_commitment", application=signed).exists()


def test_a_valid_save_clears_the_kept_draft(world, signed):
    services.section_draft_keep(application=signed, section="basic:scale", data={"team_size": "x"})
    form = basic_form(signed, "scale", team_size="21")
    services.section_save(user=world.applicant, application=signed, section="basic:scale", form=form)
    assert not SectionDraft.objects.filter(application=signed).exists()


def test_a_submitted_application_cannot_be_edited(world):
    application = world.submitted()
    form = basic_form(application, "scale", team_size="30")
    with pytest.raises(StateConflict):
        services.section_save(user=world.applicant, application=application, section="basic:scale", form=form)
    with pytest.raises(StateConflict):
        services.section_draft_keep(application=application, section="basic:scale", data={})
    with pytest.raises(StateConflict):
        services.attachment_add_by_applicant(
            user=world.applicant,
            application=application,
            kind=Attachment.Kind.EVIDENCE,
            title="",
            upload=pdf_upload(),
        )
    with pytest.raises(StateConflict):
        services.commitment_sign(user=world.applicant, application=application, signatory="王建国")
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    assert application.basic_info.team_size == 18
