"""The revocation rules of filed spaces, each enforced here and only here:

- two missing reports in a row: the space is proposed for revocation (the province decides);
- two D grades in a row: the space is revoked when the second result is published;
- fraud found (spot check or later): revoked and written to the credit register;
- voluntary exit: cancelled (注销), no credit record.
"""

from dataclasses import dataclass

from .models import MANAGED, AnnualReport, FiledSpace, ReportRound, RevocationRule, Status
from .workflow import ReportState


@dataclass(frozen=True)
class RuleEffect:
    target: str  # the status the space ends in
    credit: bool  # written to the credit register


EFFECTS = {
    RevocationRule.TWO_MISSING_REPORTS: RuleEffect(Status.REVOKED, credit=False),
    RevocationRule.TWO_D_GRADES: RuleEffect(Status.REVOKED, credit=False),
    RevocationRule.FRAUD: RuleEffect(Status.REVOKED, credit=True),
    RevocationRule.VOLUNTARY_EXIT: RuleEffect(Status.CANCELLED, credit=False),
    RevocationRule.MINISTRY: RuleEffect(Status.REVOKED, credit=False),
}


def previous_round(report_round: ReportRound) -> ReportRound | None:
    return ReportRound.objects.filter(year__lt=report_round.year).order_by("-year").first()


def apply_missing_reports_rule(*, user, report_round: ReportRound, missing: list[AnnualReport]) -> list:
    """A space whose report is missing this round and was missing the round before is proposed for
    revocation."""
    before = previous_round(report_round)
    if before is None or not missing:
        return []
    missing_before = set(
        AnnualReport.objects.filter(
            round=before, state=ReportState.MISSING, filed_space_id__in=[r.filed_space_id for r in missing]
        ).values_list("filed_space_id", flat=True)
    )
    from .services import revocation_propose

    return [
        revocation_propose(
            user=user,
            filed_space=report.filed_space,
            rule=RevocationRule.TWO_MISSING_REPORTS,
            reason=f"{before.year}年度、{report_round.year}年度连续两年未报送年度报告。",
        )
        for report in missing
        if report.filed_space_id in missing_before and report.filed_space.status in MANAGED
    ]


def two_d_grades(filed_space: FiledSpace, grades_by_year: dict[int, str], year: int) -> bool:
    """D this year and D in the latest evaluation before it."""
    earlier = sorted(y for y in grades_by_year if y < year)
    return grades_by_year.get(year) == "D" and bool(earlier) and grades_by_year[earlier[-1]] == "D"
