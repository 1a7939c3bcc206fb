"""The annual report: a round's tasks, its chain of steps, its rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from makerspace.core.errors import RuleViolation
from makerspace.core.tests.factories import UserFactory, World
from makerspace.filed import services
from makerspace.filed.models import AnnualReport, RevocationProposal, RevocationRule, Status
from makerspace.filed.workflow import ReportState

from .helpers import FIGURES, filed, open_round, pass_deadline, ready, report_of, submitted, task

pytestmark = pytest.mark.django_db


def test_opening_a_round_gives_every_managed_filed_space_a_task(world):
    first, second = filed(world), filed(world)
    services.filed_space_end(
        user=world.province, filed_space=second, rule="voluntary_exit", reason="主动退出"
    )

    report_round = open_round(world)

    assert [step.kind for step in report_round.chain()] == ["report", "unit_check", "acceptance"]
    assert list(report_round.reports.values_list("filed_space_id", flat=True)) == [first.pk]
    assert world.applicant.notifications.filter(kind="annual_report_open").exists()


def test_only_the_province_opens_a_round(world):
    with pytest.raises(PermissionDenied):
        services.round_open(
            user=world.recommender, year=2030, title="", deadline=timezone.now() + timedelta(days=9)
        )


def test_the_report_is_prefilled_from_the_last_report(world):
    filed_space = filed(world)
    last = report_of(open_round(world, year=2030), filed_space)
    submitted(last, world.applicant)

    report = report_of(open_round(world, year=2031), filed_space)

    assert report.figures() == last.figures() == FIGURES
    assert report.signed_at is None and not report.sealed_copy


def test_only_the_spaces_own_operating_entity_files_its_report(world):
    filed_space = filed(world)
    report = report_of(open_round(world), filed_space)
    stranger = World(unit=world.unit).applicant
    colleague = UserFactory(role="applicant", organisation=world.applicant.organisation)

    for user in (stranger, world.recommender, world.province):
        with pytest.raises(PermissionDenied):
            services.report_save(user=user, report=report, figures=FIGURES)
    ready(report, world.applicant)
    for user in (stranger, world.recommender, world.province):
        with pytest.raises(PermissionDenied):
            services.report_transition(user=user, report=report, name="submit")
    services.report_transition(user=colleague, report=report, name="submit")
    assert report.state == ReportState.AT_RECOMMENDER


def test_the_report_goes_up_its_chain_unit_then_province(world):
    report = submitted(task(world), world.applicant)
    other_unit = World().recommender

    with pytest.raises(PermissionDenied):
        services.report_transition(user=other_unit, report=report, name="forward")
    with pytest.raises(PermissionDenied):
        services.report_transition(user=world.province, report=report, name="forward")
    services.report_transition(user=world.recommender, report=report, name="forward")
    assert report.state == ReportState.AT_PROVINCE
    services.report_transition(user=world.province, report=report, name="accept")
    assert report.state == ReportState.ACCEPTED
    assert [e.transition for e in report.events.all()] == ["submit", "forward", "accept"]


def test_a_round_without_the_unit_step_goes_to_the_province(world):
    report = submitted(task(world, preset="province_only"), world.applicant)
    assert report.state == ReportState.AT_PROVINCE


def test_a_returned_report_comes_back_with_the_comment_and_may_be_resubmitted_after_the_deadline(world):
    report = submitted(task(world), world.applicant)
    with pytest.raises(ValidationError):
        services.report_transition(user=world.recommender, report=report, name="return_report")
    services.report_transition(
        user=world.recommender, report=report, name="return_report", comment="融资额有误"
    )
    assert report.state == ReportState.RETURNED
    pass_deadline(report.round)
    services.report_save(user=world.applicant, report=report, figures={"financing": FIGURES["financing"] + 1})
    assert report.signed_at is None
    services.report_sign(user=world.applicant, report=report, signatory="王法人")
    services.report_transition(user=world.applicant, report=report, name="submit")
    assert report.state == ReportState.AT_RECOMMENDER


def test_submission_needs_complete_figures_signature_and_sealed_copy(world):
    report = task(world)
    with pytest.raises(RuleViolation) as refused:
        services.report_transition(user=world.applicant, report=report, name="submit")
    assert refused.value.rule == "AR_FIGURES"
    services.report_save(user=world.applicant, report=report, figures=FIGURES)
    with pytest.raises(RuleViolation) as refused:
        services.report_transition(user=world.applicant, report=report, name="submit")
    assert refused.value.rule == "AR_SIGNED"
    services.report_sign(user=world.applicant, report=report, signatory="王法人")
    with pytest.raises(RuleViolation) as refused:
        services.report_transition(user=world.applicant, report=report, name="submit")
    assert refused.value.rule == "AR_SEALED"


def test_the_cross_field_checks_stop_a_report_and_stand_beside_their_field(world, client):
    report = task(world)
    services.report_save(user=world.applicant, report=report, figures={**FIGURES, "team_college_count": 13})
    assert "大专以上人数不能超过管理团队人员总数。" in report.figure_problems()
    with pytest.raises(ValidationError):
        services.report_sign(user=world.applicant, report=report, signatory="王法人")

    client.force_login(world.applicant)
    data = {**{k: str(v) for k, v in FIGURES.items()}, "public_area": "4000"}
    page = client.post(reverse("filed:report_edit", args=[report.pk]), data).content.decode()
    assert 'id="field-public_area"' in page
    section = page.split('id="field-public_area"')[1].split('class="field')[0]
    assert "公共办公和服务面积不能超过自主支配场地面积。" in section


def test_a_first_submission_after_the_deadline_is_refused(world):
    report = ready(task(world), world.applicant)
    pass_deadline(report.round)
    with pytest.raises(RuleViolation) as refused:
        services.report_transition(user=world.applicant, report=report, name="submit")
    assert refused.value.rule == "AR_DEADLINE"


def test_closing_a_round_counts_missing_reports_only_after_the_deadline(world):
    filed_space, diligent = filed(world), filed(world)
    report_round = open_round(world, year=2030)
    submitted(report_of(report_round, diligent), world.applicant)
    with pytest.raises(RuleViolation):
        services.round_close(user=world.province, report_round=report_round)
    pass_deadline(report_round)

    missing = services.round_close(user=world.province, report_round=report_round)

    assert [r.filed_space_id for r in missing] == [filed_space.pk]
    assert report_of(report_round, filed_space).state == ReportState.MISSING
    assert report_of(report_round, diligent).state == ReportState.AT_RECOMMENDER


def test_two_missing_reports_in_a_row_propose_the_space_for_revocation(world):
    lazy, once = filed(world), filed(world)
    first = open_round(world, year=2030)
    submitted(report_of(first, once), world.applicant)
    pass_deadline(first)
    services.round_close(user=world.province, report_round=first)
    assert not RevocationProposal.objects.exists()
    second = open_round(world, year=2031)
    pass_deadline(second)

    services.round_close(user=world.province, report_round=second)

    proposal = RevocationProposal.objects.get()
    assert proposal.filed_space == lazy
    assert proposal.rule == RevocationRule.TWO_MISSING_REPORTS
    assert proposal.is_pending
    lazy.refresh_from_db()
    assert lazy.status == Status.ACTIVE  # proposed, not yet revoked: the province decides

    services.revocation_decide(user=world.province, proposal=proposal, revoke=True, comment="同意撤销")
    lazy.refresh_from_db()
    assert lazy.status == Status.REVOKED
    assert lazy.history.last().rule == RevocationRule.TWO_MISSING_REPORTS


def test_a_report_page_shows_what_is_missing_before_submission(world, client):
    report = task(world)
    client.force_login(world.applicant)
    page = client.get(reverse("filed:report_detail", args=[report.pk])).content.decode()
    assert "请填写：" in page and "disabled" in page
    assert AnnualReport.objects.count() == 1
