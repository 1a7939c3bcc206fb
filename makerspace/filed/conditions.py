"""The rules of an annual report as conditions of its transitions (like
`applications.conditions`): each returns what is still unmet, as messages a user reads, and reads
what was recorded (figures, signature, sealed copy, the round's deadline), never what a caller
claims."""

from django.utils import timezone

from makerspace.applications.conditions import Rule


def report_open(report, name) -> list[str]:
    """A first submission closes with the report step's deadline; a report returned for changes may
    come back after it (the return reopened it)."""
    from .workflow import ReportState

    if report.state == ReportState.RETURNED:
        return []
    step = report.round.step("report")
    if step is not None and timezone.now() > step.deadline:
        return [f"年度报告已于{timezone.localtime(step.deadline):%Y-%m-%d %H:%M}截止填报。"]
    return []


def figures_complete(report, name) -> list[str]:
    return report.figure_problems()


def signed(report, name) -> list[str]:
    return [] if report.signed_at else ["请运营主体法人签署年度报告（数据真实性承诺）。"]


def sealed_copy(report, name) -> list[str]:
    return [] if report.sealed_copy else ["请上传加盖运营主体公章的年度报告扫描件。"]


def deadline_passed(report, name) -> list[str]:
    step = report.round.step("report")
    if step is not None and timezone.now() <= step.deadline:
        return ["填报截止时间未到，不能认定为未报。"]
    return []


REPORT_OPEN = Rule("AR_DEADLINE", report_open)
FIGURES_COMPLETE = Rule("AR_FIGURES", figures_complete)
SIGNED = Rule("AR_SIGNED", signed)
SEALED_COPY = Rule("AR_SEALED", sealed_copy)
DEADLINE_PASSED = Rule("AR_MISSING", deadline_passed)
