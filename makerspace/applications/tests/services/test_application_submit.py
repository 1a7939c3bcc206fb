import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from makerspace.applications import services
from makerspace.applications.models import ApplicationVersion, Attachment
from makerspace.applications.tests.helpers import pdf_upload
from makerspace.applications.workflow import State
from makerspace.batches.models import Batch, DeadlineExtension
from makerspace.core.errors import RuleViolation, StateConflict

pytestmark = pytest.mark.django_db


def test_submit_freezes_a_numbered_version_with_all_data_and_file_hashes(world):
    application = world.complete_draft()
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="营业执照",
        upload=pdf_upload(),
    )
    application.refresh_from_db()
    services.commitment_sign(user=world.applicant, application=application, signatory="王建国")
    version = services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    assert application.state == State.AT_SUPERVISOR
    assert version.number == 1 == application.current_version
    assert application.submitted_at is not None
    assert version.data_sha256 == services.snapshot_digest(version.data)
    data = version.data
    assert data["number"] == application.number
    assert data["space"] == application.space.name
    assert data["basic_info"]["team_size"] == 18
    assert data["basic_info"]["floor_area"] == "12000.00"
    assert data["basic_info"]["founded_on"] == "2016-05-18"
    assert data["report"]["goals_and_tasks"] == application.report.goals_and_tasks
    assert [c["title"] for c in data["success_cases"]] == ["成功案例1", "成功案例2", "成功案例3"]
    assert data["commitment"]["signatory"] == "王建国"
    stored = {a.pk: a for a in application.attachments.all()}
    assert len(data["attachments"]) == 2
    for frozen in data["attachments"]:
        attachment = stored[frozen["id"]]
        with attachment.file.open("rb") as handle:
            assert frozen["sha256"] == hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    event = application.events.get()
    assert (event.source, event.target, event.actor, event.version_number) == (
        State.DRAFT,
        State.AT_SUPERVISOR,
        world.applicant,
        1,
    )


def test_submit_is_audited(world):
    from makerspace.audit.models import AuditEvent

    application = world.complete_draft()
    services.application_submit(user=world.applicant, application=application)
    assert AuditEvent.objects.filter(action="application.submit", application=application).count() == 1


def test_double_submit_makes_one_version(world):
    application = world.complete_draft()
    stale_copy = type(application).objects.get(pk=application.pk)
    services.application_submit(user=world.applicant, application=application)
    with pytest.raises(StateConflict) as caught:
        services.application_submit(user=world.applicant, application=stale_copy)
    assert "无需重复提交" in str(caught.value)
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert application.events.count() == 1


def test_incomplete_application_cannot_be_submitted(world):
    application = world.draft()
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert "项要求未满足" in caught.value.message
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert not application.versions.exists()


def test_r4_unsigned_application_cannot_be_submitted(world):
    application = world.complete_draft()
    application.commitment_signed_at = None
    application.save(update_fields=["commitment_signed_at"])
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert caught.value.rule == "R4"
    assert not application.versions.exists()


def test_r4_application_without_the_sealed_scan_cannot_be_submitted(world):
    application = world.complete_draft()
    scan = application.attachments.get(kind=Attachment.Kind.APPLICANT_COMMITMENT)
    services.attachment_remove(user=world.applicant, application=application, attachment=scan)
    application.refresh_from_db()
    services.commitment_sign(user=world.applicant, application=application, signatory="王建国")
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert caught.value.rule == "R4"
    assert "扫描件" in caught.value.message


def test_r5_submission_after_the_applicant_deadline_is_refused(world, monkeypatch):
    application = world.complete_draft()
    after = world.batch.applicant_deadline + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after)
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert caught.value.rule == "R5"
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert not application.versions.exists()


def test_r5_submission_to_a_closed_batch_is_refused(world):
    application = world.complete_draft()
    Batch.objects.filter(pk=world.batch.pk).update(status=Batch.Status.CLOSED)
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(user=world.applicant, application=application)
    assert caught.value.rule == "R5"


def test_r5_a_deadline_extension_reopens_submission(world):
    application = world.complete_draft()
    Batch.objects.filter(pk=world.batch.pk).update(applicant_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(RuleViolation):
        services.application_submit(user=world.applicant, application=application)
    DeadlineExtension.objects.create(
        batch=world.batch,
        level="applicant",
        recommending_unit=world.unit,
        new_deadline=timezone.now() + timedelta(days=2),
        reason="系统故障，延期两天",
        granted_by=world.province,
    )
    version = services.application_submit(user=world.applicant, application=application)
    assert version.number == 1


def test_returned_application_is_edited_resigned_and_resubmitted_as_version_2(world):
    application = world.submitted()
    version_1 = application.versions.get()
    frozen_data, frozen_digest = version_1.data, version_1.data_sha256

    services.application_transition(
        user=world.supervisor,
        application=application,
        name="return_to_applicant",
        comment="请补充入驻企业名单。",
    )
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.is_editable

    info = application.basic_info
    info.resident_enterprises = 40
    info.save()
    services.case_delete(user=world.applicant, application=application, case=application.success_cases.last())
    application.refresh_from_db()
    assert not application.is_signed  # the edit voided the signature (R4)
    with pytest.raises(RuleViolation):
        services.application_submit(user=world.applicant, application=application)

    application.success_cases.create(
        position=3, title="新案例", enterprise_name="新企业", services="服务", results="成效"
    )
    services.commitment_sign(user=world.applicant, application=application, signatory="王建国")
    version_2 = services.application_submit(user=world.applicant, application=application)

    assert version_2.number == 2
    assert version_2.data["basic_info"]["resident_enterprises"] == 40
    assert version_2.data["success_cases"][-1]["title"] == "新案例"
    version_1.refresh_from_db()
    assert (version_1.data, version_1.data_sha256) == (frozen_data, frozen_digest)
    assert version_1.data["basic_info"]["resident_enterprises"] == 38
    assert list(application.versions.values_list("number", flat=True)) == [2, 1]
    transitions = list(application.events.order_by("at", "id").values_list("transition", "version_number"))
    assert transitions == [("submit", 1), ("return_to_applicant", 1), ("submit", 2)]
