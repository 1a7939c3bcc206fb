"""Filed spaces and annual reports built through the real services, rules and all."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from makerspace.filed import services
from makerspace.filed.models import AnnualReport, FiledSpace, ReportRound, RoundStep
from makerspace.reviews.chain import scan

FIGURES = {
    "team_size": 12,
    "team_college_count": 10,
    "mentor_count": 8,
    "floor_area": Decimal("3000.00"),
    "public_area": Decimal("800.00"),
    "resident_projects": 20,
    "resident_enterprises": 15,
    "events_held": 30,
    "incubated_enterprises": 25,
    "graduated_enterprises": 4,
    "financing": Decimal("1200.00"),
    "revenue": Decimal("350.50"),
    "jobs": 260,
    "ip_count": 40,
    "invention_patents": 9,
}


def filed(world) -> FiledSpace:
    """A space of `world` recommended, filed and published by the ministry."""
    application = world.advance(world.formal_passed(), "select", "publish")
    return FiledSpace.objects.select_related("application").get(application=application)


def open_round(world, year: int | None = None, preset: str = "with_unit", days: int = 30) -> ReportRound:
    return services.round_open(
        user=world.province,
        year=year or timezone.now().year,
        title="",
        deadline=timezone.now() + timedelta(days=days),
        preset=preset,
    )


def report_of(report_round: ReportRound, filed_space: FiledSpace) -> AnnualReport:
    return AnnualReport.objects.select_related("round", "filed_space").get(
        round=report_round, filed_space=filed_space
    )


def ready(report: AnnualReport, user, **figures) -> AnnualReport:
    """Figures filled, signed and the sealed copy uploaded, by the operating entity."""
    services.report_save(user=user, report=report, figures={**FIGURES, **figures})
    services.report_sign(user=user, report=report, signatory="王法人")
    services.report_upload_sealed(user=user, report=report, upload=scan("sealed"))
    return report


def submitted(report: AnnualReport, user) -> AnnualReport:
    ready(report, user)
    services.report_transition(user=user, report=report, name="submit")
    return report


def pass_deadline(report_round: ReportRound) -> None:
    """Move the round's report deadline into the past (the clock passing it)."""
    RoundStep.objects.filter(round=report_round, kind="report").update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    report_round._chain_cache = None


def task(world, **round_kwargs) -> AnnualReport:
    """A new filed space's report task in a round opened after its filing."""
    filed_space = filed(world)
    return report_of(open_round(world, **round_kwargs), filed_space)
