"""A file that reached storage is deleted when the database write after it fails, also when the
failure comes later in an outer transaction."""

from pathlib import Path
from unittest import mock

import pytest
from django.db import IntegrityError

from makerspace.applications import services
from makerspace.applications.models import Attachment
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.core.files import file_stored, files_atomic

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(world, application):
    return services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="",
        upload=pdf_upload(),
    )


def test_a_file_whose_row_failed_to_save_is_deleted_from_storage(world, settings):
    application = world.draft()
    before = _stored_files(settings)
    with (
        mock.patch.object(services, "audit_record", side_effect=IntegrityError("audit chain busy")),
        pytest.raises(IntegrityError),
    ):
        _upload(world, application)
    assert _stored_files(settings) == before
    assert not application.attachments.exists()


def test_a_file_is_deleted_when_the_outer_transaction_rolls_back_after_it(world, settings):
    application = world.draft()
    before = _stored_files(settings)
    with (
        mock.patch.object(services, "_touch", side_effect=IntegrityError("row gone")),
        pytest.raises(IntegrityError),
    ):
        _upload(world, application)
    assert _stored_files(settings) == before


def test_a_nested_block_hands_its_files_to_the_block_that_rolls_back(world, settings):
    application = world.draft()
    before = _stored_files(settings)
    with pytest.raises(RuntimeError), files_atomic():
        attachment = _upload(world, application)
        assert Path(attachment.file.path).exists()
        raise RuntimeError("a later step of the same request failed")
    assert _stored_files(settings) == before


def test_a_committed_upload_keeps_its_file(world, settings):
    application = world.draft()
    attachment = _upload(world, application)
    assert Path(attachment.file.path).exists()


def test_outside_a_files_block_nothing_is_tracked(world):
    application = world.draft()
    attachment = _upload(world, application)
    file_stored(attachment.file)  # no block: a no-op, the file stays
    assert Path(attachment.file.path).exists()


def test_r7_evidence_of_a_refused_disqualification_is_not_left_in_storage(world, settings):
    """The evidence is stored before the transition decides; a refusal rolls everything back."""
    from django.core.exceptions import PermissionDenied

    from makerspace.credit.models import Disqualification
    from makerspace.credit.services import application_disqualify

    application = world.draft()  # the transition refuses a draft, after the evidence was stored
    before = _stored_files(settings)
    with pytest.raises(PermissionDenied, match="您无权对该申报执行此操作"):
        application_disqualify(
            user=world.province, application=application, reason="虚构入驻企业", evidence=pdf_upload()
        )
    assert not Disqualification.objects.exists()
    assert _stored_files(settings) == before
