"""The annual report's chain of steps (a reporting round's ordered (kind, party, deadline) list),
built like a batch's chain (`makerspace.batches.chain`): the code provides the kinds and their
rules (`filed.workflow`), a round orders them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction


class ReportKind(models.TextChoices):
    REPORT = "report", "运营主体填报并上传盖章件"
    UNIT_CHECK = "unit_check", "推荐单位审核并报送"
    ACCEPTANCE = "acceptance", "省科技厅审核通过"


class ReportParty(models.TextChoices):
    APPLICANT = "applicant", "运营主体"
    RECOMMENDER = "recommender", "推荐单位"
    PROVINCE = "province", "省科技厅"


PARTIES = {
    ReportKind.REPORT: (ReportParty.APPLICANT,),
    ReportKind.UNIT_CHECK: (ReportParty.RECOMMENDER,),
    ReportKind.ACCEPTANCE: (ReportParty.PROVINCE,),
}


@dataclass(frozen=True)
class StepSpec:
    kind: str
    party: str
    days: int  # the step's deadline, in days after the report's deadline


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    steps: tuple[StepSpec, ...]


WITH_UNIT = Preset(
    "with_unit",
    "运营主体 → 推荐单位 → 省科技厅",
    (
        StepSpec(ReportKind.REPORT, ReportParty.APPLICANT, 0),
        StepSpec(ReportKind.UNIT_CHECK, ReportParty.RECOMMENDER, 15),
        StepSpec(ReportKind.ACCEPTANCE, ReportParty.PROVINCE, 30),
    ),
)
PROVINCE_ONLY = Preset(
    "province_only",
    "运营主体 → 省科技厅",
    (
        StepSpec(ReportKind.REPORT, ReportParty.APPLICANT, 0),
        StepSpec(ReportKind.ACCEPTANCE, ReportParty.PROVINCE, 30),
    ),
)
PRESETS = {preset.key: preset for preset in (WITH_UNIT, PROVINCE_ONLY)}


def chain_problems(steps) -> list[str]:
    """What keeps a report from travelling the chain to its end; empty when sound."""
    kinds = [step.kind for step in steps]
    problems = []
    if not kinds or kinds[0] != ReportKind.REPORT:
        problems.append("年度报告链的第一个环节应为运营主体填报。")
    if not kinds or kinds[-1] != ReportKind.ACCEPTANCE:
        problems.append("年度报告链的最后一个环节应为省科技厅审核通过。")
    if len(set(kinds)) != len(kinds):
        problems.append("同一类型的环节在年度报告链中只能出现一次。")
    for step in steps:
        if step.party not in PARTIES[step.kind]:
            problems.append(f"“{ReportKind(step.kind).label}”不能由{ReportParty(step.party).label}办理。")
    deadlines = [step.deadline for step in steps]
    if deadlines != sorted(deadlines):
        problems.append("各环节的截止时间应依次不早于前一环节。")
    return problems


def chain_from_preset(*, round, preset: Preset, deadline: datetime):
    from .models import RoundStep

    steps = [
        RoundStep(
            round=round,
            position=position,
            kind=spec.kind,
            party=spec.party,
            deadline=deadline + timedelta(days=spec.days),
        )
        for position, spec in enumerate(preset.steps, start=1)
    ]
    problems = chain_problems(steps)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        RoundStep.objects.bulk_create(steps)
    round._chain_cache = None
    return round.chain()
