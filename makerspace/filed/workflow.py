"""The state machine of an annual report, over its round's chain of steps (`filed.chain`).

As for applications (`applications.workflow`), a state names the step a report stands at, where a
transition leads is read from the round's chain, and each transition's rules are declared once in
`GUARDS`, so no service, command or demo can fire it without them. Who may fire it is asked of the
permission module.
"""

from django.db import models
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from makerspace.applications.conditions import ChainEnd, Unmet

from . import conditions as c
from .chain import ReportKind


class ReportState(models.TextChoices):
    DRAFT = "draft", "待填报"
    RETURNED = "returned", "已退回修改"
    AT_RECOMMENDER = "at_recommender", "推荐单位审核中"
    AT_PROVINCE = "at_province", "省科技厅审核中"
    ACCEPTED = "accepted", "已通过"
    MISSING = "missing", "逾期未报"


KIND_OF_STATE = {
    ReportState.DRAFT: ReportKind.REPORT,
    ReportState.RETURNED: ReportKind.REPORT,
    ReportState.AT_RECOMMENDER: ReportKind.UNIT_CHECK,
    ReportState.AT_PROVINCE: ReportKind.ACCEPTANCE,
}
ENTRY = {
    ReportKind.UNIT_CHECK: ReportState.AT_RECOMMENDER,
    ReportKind.ACCEPTANCE: ReportState.AT_PROVINCE,
}
EDITABLE = [ReportState.DRAFT, ReportState.RETURNED]
# Filed with the round: what counts as a report the space made this year.
FILED = [ReportState.AT_RECOMMENDER, ReportState.AT_PROVINCE, ReportState.ACCEPTED]


def _next_entry(report) -> str:
    step = report.round.step_after(KIND_OF_STATE.get(report.state))
    if step is None:
        raise ChainEnd("年度报告链在此结束。")
    return ENTRY[step.kind]


GUARDS = {
    "submit": (c.REPORT_OPEN, c.FIGURES_COMPLETE, c.SIGNED, c.SEALED_COPY),
    "forward": (c.FIGURES_COMPLETE, c.SEALED_COPY),
    "accept": (c.FIGURES_COMPLETE, c.SEALED_COPY),
    "mark_missing": (c.DEADLINE_PASSED,),
}
REASON_REQUIRED = {"return_report"}
TRANSITION_LABELS = {
    "submit": "提交年度报告",
    "forward": "推荐单位审核通过并报送",
    "accept": "省科技厅审核通过",
    "return_report": "退回修改",
    "mark_missing": "逾期未报",
}


def unmet(report, name: str) -> list[Unmet]:
    return [
        Unmet(rule.code, message) for rule in GUARDS.get(name, ()) for message in rule.check(report, name)
    ]


def _when(name: str):
    def met(instance) -> bool:
        return not unmet(instance, name)

    met.__name__ = f"rules_of_{name}"
    return [met] if name in GUARDS else []


def _may(name: str):
    def check(instance, user) -> bool:
        return user.has_perm(f"filed.{name}", instance)

    return check


def _t(name: str, source, target):
    return transition(
        field="state", source=source, target=target, permission=_may(name), conditions=_when(name)
    )


ENTRIES = list(ENTRY.values())
NEXT = GET_STATE(_next_entry, states=ENTRIES)


class ReportWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        "状态", default=ReportState.DRAFT, choices=ReportState.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @_t("submit", EDITABLE, NEXT)
    def submit(self):
        """提交：运营主体签署并上传盖章件后报下一环节。"""

    @_t("forward", ReportState.AT_RECOMMENDER, NEXT)
    def forward(self):
        """推荐单位审核通过并报送。"""

    @_t("accept", ReportState.AT_PROVINCE, ReportState.ACCEPTED)
    def accept(self):
        """省科技厅审核通过。"""

    @_t("return_report", [ReportState.AT_RECOMMENDER, ReportState.AT_PROVINCE], ReportState.RETURNED)
    def return_report(self):
        """附意见退回运营主体修改。"""

    @_t("mark_missing", ReportState.DRAFT, ReportState.MISSING)
    def mark_missing(self):
        """截止后仍未提交：记为逾期未报。"""
