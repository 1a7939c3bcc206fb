"""R7: fabrication found by the province. The application is cancelled at whatever level it
stands, leaves every ranking and public list, the unit gets a two-year 不良科技信用记录 with the
evidence kept, the applicant and the recommending unit are told, and the record is exported."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from makerspace.applications import services as application_services
from makerspace.applications.workflow import State
from makerspace.core.demo import blank_pdf
from makerspace.core.errors import RuleViolation
from makerspace.credit.models import CreditRecord, Disqualification
from makerspace.credit.services import application_disqualify, ban_end
from makerspace.notifications.models import Notification
from makerspace.reviews import chain, selectors
from makerspace.reviews.models import UnitSubmission

pytestmark = pytest.mark.django_db

CHAIN = ["forward", "recommend", "deliver", "receive", "pass_formal_review", "select", "file", "publish"]
STEPS = {
    State.DELIVERED: CHAIN[:3],
    State.RECEIVED: CHAIN[:4],
    State.FORMAL_PASSED: CHAIN[:5],
    State.RECOMMENDED_TO_MINISTRY: CHAIN[:6],
    State.FILED: CHAIN[:7],
    State.PUBLISHED: CHAIN[:8],
}


def evidence(name: str = "核查记录") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", blank_pdf(name), content_type="application/pdf")


def _in_state(world, state: str):
    """Applications in each state the province can see; transitions fired directly (the rules of
    each step are tested in reviews), ranks set as the chain would."""
    if state in STEPS:
        application = world.advance(world.submitted(), *STEPS[state])
    else:
        # Returned by the province's formal review: back in the applicant's hands, resubmitted.
        application = world.advance(world.submitted(), *CHAIN[:4])
        application_services.application_transition(
            user=world.province, application=application, name="return_to_applicant", comment="请补正"
        )
        application.refresh_from_db()
        if state == "at_supervisor_after_return":
            application_services.application_submit(user=world.applicant, application=application)
            application.refresh_from_db()
    type(application).objects.filter(pk=application.pk).update(recommender_rank=1, province_rank=1)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("state", [*STEPS, "draft_after_return", "at_supervisor_after_return"])
def test_r7_disqualification_cancels_at_every_level(world, state, django_capture_on_commit_callbacks):
    application = _in_state(world, state)
    organisation = application.space.organisation

    with django_capture_on_commit_callbacks(execute=True):
        disqualification = application_disqualify(
            user=world.province,
            application=application,
            reason="成功案例中的企业并未入驻",
            evidence=evidence(),
        )

    application.refresh_from_db()
    assert application.state == State.DISQUALIFIED
    assert (application.recommender_rank, application.province_rank) == (None, None)
    event = application.events.get(transition="disqualify")
    assert event.comment == "成功案例中的企业并未入驻"

    record = disqualification.record
    today = timezone.localdate()
    assert (record.credit_code, record.kind, record.origin) == (
        organisation.credit_code,
        CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        CreditRecord.Origin.DISQUALIFICATION,
    )
    assert (record.starts_on, record.ends_on) == (today, ban_end(today))
    assert record.ends_on.year == today.year + 2
    assert record.application_id == application.pk
    assert disqualification.state_before == state.replace("draft_after_return", "returned").replace(
        "at_supervisor_after_return", "at_supervisor"
    )
    assert len(disqualification.evidence_sha256) == 64 and disqualification.evidence.size > 0

    # Told: the applicant (every transition) and the recommending unit (it answers for it).
    told = set(Notification.objects.filter(kind="disqualify").values_list("recipient_id", flat=True))
    assert {world.applicant.pk, world.recommender.pk} <= told

    # Out of every ranking: the province's page and the unit's batch.
    rows = selectors.batch_rows(
        world.province, application.batch, [State.FORMAL_PASSED, State.RECOMMENDED_TO_MINISTRY]
    )
    assert application not in rows[State.FORMAL_PASSED] + rows[State.RECOMMENDED_TO_MINISTRY]
    submission, _ = UnitSubmission.objects.get_or_create(
        batch=application.batch, recommending_unit=world.unit
    )
    ranked = [a for a in selectors.unit_batch_rows(submission) if a.recommender_rank is not None]
    assert application not in ranked

    # And the unit, now banned, cannot submit again (R8).
    draft = world.complete_draft()
    with pytest.raises(RuleViolation) as refused:
        application_services.application_submit(user=world.applicant, application=draft)
    assert refused.value.rule == "R8"


def test_r7_published_space_leaves_the_public_list(world, client):
    application = chain.select(world.formal_passed(), world.province, 1)
    chain.file_and_publish([application], world.ministry)
    url = reverse("public:list_detail", args=[application.batch_id])
    assert application.space.name in client.get(url).content.decode()

    application_disqualify(
        user=world.province, application=application, reason="虚构入驻企业", evidence=evidence()
    )

    assert application.space.name not in client.get(url).content.decode()


@pytest.mark.parametrize("state", [State.AT_SUPERVISOR, State.AT_RECOMMENDER, State.RECOMMENDED])
def test_r7_province_cannot_disqualify_what_it_has_never_seen(world, state):
    steps = {State.AT_SUPERVISOR: [], State.AT_RECOMMENDER: CHAIN[:1], State.RECOMMENDED: CHAIN[:2]}[state]
    application = world.advance(world.submitted(), *steps)
    with pytest.raises(PermissionDenied):
        application_disqualify(
            user=world.province, application=application, reason="x" * 5, evidence=evidence()
        )
    application.refresh_from_db()
    assert application.state == state
    assert not CreditRecord.objects.exists() and not Disqualification.objects.exists()


def test_r7_only_the_province_disqualifies(world):
    application = _in_state(world, State.RECEIVED)
    for user in (world.recommender, world.acceptance, world.ministry, world.applicant):
        with pytest.raises(PermissionDenied):
            application_disqualify(user=user, application=application, reason="虚假", evidence=evidence())
    assert not CreditRecord.objects.exists()


def test_r7_refused_evidence_leaves_nothing_half_done(world):
    application = _in_state(world, State.FORMAL_PASSED)
    fake = SimpleUploadedFile("evidence.pdf", b"not a pdf at all", content_type="application/pdf")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        application_disqualify(user=world.province, application=application, reason="虚假", evidence=fake)
    application.refresh_from_db()
    assert application.state == State.FORMAL_PASSED
    assert not CreditRecord.objects.exists()


def test_r7_disqualify_screen_with_evidence_and_export(world, client):
    application = _in_state(world, State.RECOMMENDED_TO_MINISTRY)
    client.force_login(world.province)
    url = reverse("credit:disqualify", args=[application.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "", "ban_years": 2, "evidence": evidence()})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert application.state == State.RECOMMENDED_TO_MINISTRY

    response = client.post(
        url,
        {
            "reason": "申报书数据与统计报表严重不符",
            "source_document": "苏科高〔2026〕1号",
            "ban_years": 3,
            "evidence": evidence(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.DISQUALIFIED
    record = CreditRecord.objects.get(application=application)
    assert record.source_document == "苏科高〔2026〕1号"
    assert record.ends_on == ban_end(record.starts_on, 3)

    evidence_response = client.get(reverse("credit:evidence", args=[application.pk]))
    assert evidence_response.status_code == 200
    assert b"".join(evidence_response.streaming_content).startswith(b"%PDF")

    exported = json.loads(client.get(reverse("credit:export", args=["json"])).content)
    rows = {row["record_id"]: row for row in exported["records"]}
    assert rows[record.pk]["application_number"] == application.number
    assert rows[record.pk]["kind"] == "不良科技信用记录"
    assert rows[record.pk]["in_force"] is True
