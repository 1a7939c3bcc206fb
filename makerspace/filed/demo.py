"""Demo of the life after filing, built by the real services: last year's reports accepted and
evaluated (graded, published, in the appeal window), a space revoked, this year's round under way
(one accepted, one at the unit, one to fill in), a change of name at the province and a
rectification ordered after a spot check."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from . import evaluations, services
from . import management_services as management
from .models import AnnualReport, FiledSpace, SpotCheck

BASE = {
    "team_size": 12,
    "team_college_count": 10,
    "mentor_count": 8,
    "floor_area": Decimal(3000),
    "public_area": Decimal(800),
    "resident_projects": 20,
    "resident_enterprises": 15,
    "events_held": 30,
    "incubated_enterprises": 25,
    "graduated_enterprises": 4,
    "financing": Decimal(1200),
    "revenue": Decimal("350.5"),
    "jobs": 260,
    "ip_count": 40,
    "invention_patents": 9,
}
# How strong each demo space's year was, and what the experts thought of it.
STRENGTH = [
    (Decimal("1.0"), (88, 90, 92)),  # A
    (Decimal("0.8"), (75, 78, 70)),  # B
    (Decimal("0.7"), (55, 60, 58)),  # C
    (Decimal("0.3"), (50, 52, 48)),  # D
]


def _figures(strength: Decimal) -> dict:
    scaled = {}
    for name, value in BASE.items():
        number = Decimal(value) * strength
        scaled[name] = number.quantize(Decimal("0.01")) if isinstance(value, Decimal) else int(number)
    return scaled


def _file_report(report: AnnualReport, operator, figures: dict) -> None:
    from makerspace.core.demo import blank_pdf

    services.report_save(user=operator, report=report, figures=figures)
    services.report_sign(
        user=operator, report=report, signatory=operator.organisation.legal_representative or "法人"
    )
    services.report_upload_sealed(
        user=operator,
        report=report,
        upload=SimpleUploadedFile("sealed.pdf", blank_pdf("年度报告盖章件"), content_type="application/pdf"),
    )
    services.report_transition(user=operator, report=report, name="submit")


EARLIER_SPACES = ("集成电路设计专业化众创空间", "生物材料专业化众创空间", "工业互联网专业化众创空间")


def _earlier_chain():
    from makerspace.batches.chain import Party, Preset, StepSpec
    from makerspace.batches.models import Kind

    return Preset(
        "demo_earlier",
        "往年批次（演示）：推荐单位 → 省科技厅 → 科技部",
        (
            StepSpec(Kind.UNIT_REVIEW, Party.RECOMMENDER, 10, delivers_as_batch=True),
            StepSpec(Kind.RECEIPT, Party.PROVINCE, 20),
            StepSpec(Kind.FORMAL_REVIEW, Party.PROVINCE, 30),
            StepSpec(Kind.SELECTION, Party.PROVINCE, 40),
            StepSpec(Kind.FILING, Party.MINISTRY, 90),
        ),
    )


def seed_earlier_filing(*, operator, supervising, unit, province, ministry) -> list:
    """An earlier year's batch, played at its own dates: three Suzhou spaces recommended, filed and
    published by the ministry, so the filed spaces have a past to report on."""
    from makerspace.applications import services as applications
    from makerspace.batches.chain import chain_from_preset
    from makerspace.batches.models import Batch
    from makerspace.core.demo import fill_complete
    from makerspace.reviews import chain

    now = timezone.now()
    batch = Batch.objects.create(
        year=now.year,
        title=f"{now.year}年国家专业化众创空间备案推荐（演示·往年）",
        document_number="演示往年批次",
        status=Batch.Status.OPEN,
        applicant_deadline=now + timedelta(days=20),
        quota=10,
    )
    chain_from_preset(batch=batch, preset=_earlier_chain())
    recommended = []
    for name in EARLIER_SPACES:
        space = applications.space_create(user=operator, name=name)
        application = applications.application_create(
            user=operator,
            space=space,
            batch=batch,
            recommending_unit=operator.organisation.recommending_unit,
            supervisor=supervising,
        )
        fill_complete(application, operator, cases=3)
        applications.application_submit(user=operator, application=application)
        application.refresh_from_db()
        recommended.append(chain.decide(application, unit, "recommend"))
    chain.deliver(recommended, unit)
    for rank, application in enumerate(recommended, start=1):
        chain.receive(application, province)
        chain.decide(application, province, "pass")
        chain.select(application, province, rank)
    chain.file_and_publish(
        recommended, ministry, title=f"{batch.year}年国家专业化众创空间备案名单（演示·往年）"
    )
    batch.status = Batch.Status.CLOSED
    batch.save(update_fields=["status"])
    return recommended


def seed_after_filing(*, province, ministry, operator, unit, experts) -> None:
    from makerspace.reviews.services import application_revoke

    spaces = list(FiledSpace.objects.filter(operator=operator.organisation).order_by("number"))
    if len(spaces) < 4:
        return
    now = timezone.now()
    year = now.year

    last_year = services.round_open(
        user=province, year=year - 1, title=f"{year - 1}年度报告（演示）", deadline=now + timedelta(days=20)
    )
    reports = last_year.reports.select_related("round", "filed_space").order_by("filed_space__number")
    for report, (strength, _) in zip(reports, STRENGTH, strict=False):
        _file_report(report, operator, _figures(strength))
        services.report_transition(user=unit, report=report, name="forward")
        services.report_transition(user=province, report=report, name="accept")

    evaluation_round = evaluations.evaluation_round_create(
        user=province, report_round=last_year, title=f"{year - 1}年度绩效评价（演示）"
    )
    for evaluation, (_, scores) in zip(
        evaluation_round.evaluations.select_related("filed_space__application").order_by(
            "filed_space__number"
        ),
        STRENGTH,
        strict=False,
    ):
        for expert, score in zip(experts, scores, strict=True):
            evaluations.expert_score_record(user=expert, evaluation=evaluation, score=Decimal(score))
    evaluations.evaluation_round_grade(user=province, evaluation_round=evaluation_round)
    evaluations.evaluation_round_publish(user=province, evaluation_round=evaluation_round)

    revoked = evaluation_round.evaluations.get(grade="D").filed_space
    application_revoke(
        user=ministry, application=revoked.application, reason="运营主体停止运营，申请撤销备案（演示数据）。"
    )

    this_year = services.round_open(
        user=province, year=year, title=f"{year}年度报告（演示）", deadline=now + timedelta(days=6)
    )
    accepted, at_unit, _to_fill = this_year.reports.select_related("round", "filed_space").order_by(
        "filed_space__number"
    )
    _file_report(accepted, operator, _figures(Decimal("1.1")))
    services.report_transition(user=unit, report=accepted, name="forward")
    services.report_transition(user=province, report=accepted, name="accept")
    _file_report(at_unit, operator, _figures(Decimal("0.7")))

    change = management.change_request_create(
        user=operator,
        filed_space=spaces[1],
        field="name",
        new_value=f"先进{spaces[1].name}",
        reason="服务方向聚焦先进生物材料（演示数据）。",
    )
    management.change_request_decide(user=unit, request=change, approve=True, comment="情况属实，同意报省。")

    management.spot_check_record(
        user=province,
        filed_space=spaces[2],
        visited_on=timezone.localdate(),
        inspectors="省科技厅高新处、苏州市科技局（演示）",
        findings="公共服务场地部分出租用于非孵化用途。",
        outcome=SpotCheck.Outcome.RECTIFY,
        rectification_deadline=timezone.localdate() + timedelta(days=60),
        requirements="收回出租场地，恢复公共服务功能。",
    )
