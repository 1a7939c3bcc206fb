"""R4: a signature of 附件4 never outlives a change of the evidence committed after it, even when
the signature commits while the upload is still being checked; a signature older than its files
never passes submission."""

from unittest import mock

import pytest

from makerspace.applications import services
from makerspace.applications.models import Application, Attachment
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.core.errors import RuleViolation

pytestmark = pytest.mark.django_db


def test_r4_signing_while_an_evidence_upload_is_in_flight_voids_the_signature(world):
    application = world.complete_draft()
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    # Another page of the same applicant had loaded the application before the signature.
    in_flight = Application.objects.get(pk=application.pk)
    Application.objects.filter(pk=application.pk).update(commitment_signed_at=None)
    in_flight.refresh_from_db()
    assert not in_flight.is_signed
    inspect = services.inspect_upload

    def slow_check(upload):
        # while the upload's bytes are checked, the applicant signs 附件4 in the other tab
        services.commitment_sign(
            user=world.applicant, application=Application.objects.get(pk=application.pk), signatory="王法人"
        )
        assert Application.objects.get(pk=application.pk).is_signed
        return inspect(upload)

    with mock.patch.object(services, "inspect_upload", side_effect=slow_check):
        services.attachment_add_by_applicant(
            user=world.applicant,
            application=in_flight,
            kind=Attachment.Kind.EVIDENCE,
            title="补充证明",
            upload=pdf_upload(),
        )

    stored = Application.objects.get(pk=application.pk)
    assert not stored.is_signed and stored.commitment_signatory == ""
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=stored)
    assert caught.value.rule == "R4"
    assert not stored.versions.exists()


def test_r4_the_row_version_counts_every_change_made_from_a_stale_page(world):
    application = world.complete_draft()
    before = Application.objects.get(pk=application.pk).row_version
    stale = Application.objects.get(pk=application.pk)
    services.commitment_sign(
        user=world.applicant, application=Application.objects.get(pk=application.pk), signatory="王法人"
    )
    services.attachment_add_by_applicant(
        user=world.applicant, application=stale, kind=Attachment.Kind.EVIDENCE, title="", upload=pdf_upload()
    )
    assert Application.objects.get(pk=application.pk).row_version == before + 2


def test_r4_a_signature_older_than_a_file_never_passes_submission(world):
    application = world.complete_draft()
    assert application.is_signed
    # a file recorded after the signature by a writer that did not void it
    Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="后补材料",
        original_name="late.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=world.applicant,
        file="late.pdf",
    )
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert caught.value.rule == "R4"
    assert "签署《申报单位信用承诺书》（附件4）后申报材料又有变动" in str(caught.value)
    assert not application.versions.exists()

    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    services.application_submit(user=world.applicant, application=application)
    assert application.versions.count() == 1


def test_r4_signing_after_the_upload_committed_stands(world):
    application = world.complete_draft()
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="",
        upload=pdf_upload(),
    )
    application.refresh_from_db()
    assert not application.is_signed
    services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    services.application_submit(user=world.applicant, application=application)
    assert application.versions.count() == 1
