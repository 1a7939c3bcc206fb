"""A batch's chain of steps: which parties may hold each kind, the presets an administrator starts
from, and the checks that keep a chain one that applications can travel to the end.

The rules of each kind (what its transitions require) live with the state machine in
`makerspace.applications.workflow`; this module knows only the shape of a chain.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Batch, Kind, Step

Party = Step.Party

# Who may hold a step of each kind.
PARTIES: dict[str, tuple[str, ...]] = {
    Kind.ATTEST: (Party.SUPERVISOR,),
    Kind.UNIT_REVIEW: (Party.RECOMMENDER,),
    Kind.RECEIPT: (Party.ACCEPTANCE, Party.PROVINCE),
    Kind.FORMAL_REVIEW: (Party.PROVINCE,),
    Kind.SELECTION: (Party.PROVINCE,),
    Kind.FILING: (Party.MINISTRY,),
}

# The order parties climb in: a chain never hands an application back down to a party below the
# one holding it, so who may see an application only grows as it climbs.
PARTY_LEVEL = {
    Party.SUPERVISOR: 1,
    Party.RECOMMENDER: 2,
    Party.ACCEPTANCE: 3,
    Party.PROVINCE: 4,
    Party.MINISTRY: 5,
}

# Kinds that need another kind before them: a receipt receives what a unit delivered, 择优 chooses
# among what passed the formal review.
NEEDS_BEFORE = {
    Kind.RECEIPT: Kind.UNIT_REVIEW,
    Kind.SELECTION: Kind.FORMAL_REVIEW,
}


@dataclass(frozen=True)
class StepSpec:
    kind: str
    party: str
    days: int  # the step's deadline, in days after the applicants' deadline
    delivers_as_batch: bool = False
    with_scoring: bool = False
    with_publicity: bool = False
    title: str = ""


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    steps: tuple[StepSpec, ...]


JIANGSU_2018 = Preset(
    "jiangsu_2018",
    "2018年江苏（主管部门 → 推荐单位 → 受理单位 → 省科技厅 → 科技部）",
    (
        StepSpec(Kind.ATTEST, Party.SUPERVISOR, 5),
        StepSpec(Kind.UNIT_REVIEW, Party.RECOMMENDER, 10, delivers_as_batch=True),
        StepSpec(Kind.RECEIPT, Party.ACCEPTANCE, 20),
        StepSpec(Kind.FORMAL_REVIEW, Party.PROVINCE, 30),
        StepSpec(Kind.SELECTION, Party.PROVINCE, 40, with_scoring=True, with_publicity=True),
        StepSpec(Kind.FILING, Party.MINISTRY, 90),
    ),
)
PROVINCE_RECEIPT = Preset(
    "province_receipt",
    "无主管部门环节，省科技厅自行受理（推荐单位 → 省科技厅 → 科技部）",
    (
        StepSpec(Kind.UNIT_REVIEW, Party.RECOMMENDER, 10, delivers_as_batch=True),
        StepSpec(Kind.RECEIPT, Party.PROVINCE, 20),
        StepSpec(Kind.FORMAL_REVIEW, Party.PROVINCE, 30),
        StepSpec(Kind.SELECTION, Party.PROVINCE, 40, with_publicity=True),
        StepSpec(Kind.FILING, Party.MINISTRY, 90),
    ),
)
# Where the 区县 science bureau reviews first: it is the applicant's 主管部门 (附件5 is its
# commitment), then the city recommends. The step is the attest kind with the 区县's own title.
COUNTY_FIRST = Preset(
    "county_first",
    "区县科技部门初审 → 设区市推荐 → 受理单位 → 省科技厅 → 科技部",
    (
        StepSpec(Kind.ATTEST, Party.SUPERVISOR, 5, title="区县科技部门初审并出具信用承诺书（附件5）"),
        StepSpec(
            Kind.UNIT_REVIEW, Party.RECOMMENDER, 10, delivers_as_batch=True, title="设区市科技局审核推荐"
        ),
        StepSpec(Kind.RECEIPT, Party.ACCEPTANCE, 20),
        StepSpec(Kind.FORMAL_REVIEW, Party.PROVINCE, 30),
        StepSpec(Kind.SELECTION, Party.PROVINCE, 40, with_scoring=True, with_publicity=True),
        StepSpec(Kind.FILING, Party.MINISTRY, 90),
    ),
)
PRESETS = {preset.key: preset for preset in (JIANGSU_2018, PROVINCE_RECEIPT, COUNTY_FIRST)}


def chain_problems(steps: list[Step]) -> list[str]:
    """What makes a chain one an application could not travel to the end; empty when sound."""
    problems = []
    kinds = [step.kind for step in steps]
    if not steps:
        return ["审核链至少应包含科技部备案环节。"]
    if len(set(kinds)) != len(kinds):
        problems.append("同一类型的环节在审核链中只能出现一次。")
    if kinds[-1] != Kind.FILING:
        problems.append("审核链的最后一个环节应为科技部备案并公布名单。")
    for kind, before in NEEDS_BEFORE.items():
        if kind in kinds and (before not in kinds or kinds.index(before) > kinds.index(kind)):
            problems.append(f"“{Kind(kind).label}”之前须有“{Kind(before).label}”环节。")
    for step in steps:
        if step.party not in PARTIES[step.kind]:
            problems.append(f"“{Kind(step.kind).label}”不能由{Party(step.party).label}办理。")
    levels = [PARTY_LEVEL[step.party] for step in steps]
    if levels != sorted(levels):
        problems.append("审核链应自下而上逐级办理，后一环节的办理方不能低于前一环节。")
    deadlines = [step.deadline for step in steps]
    if deadlines != sorted(deadlines):
        problems.append("各环节的截止时间应依次不早于前一环节。")
    return problems


def ensure_sound(steps: list[Step]) -> None:
    problems = chain_problems(steps)
    if problems:
        raise ValidationError(problems)


def chain_from_preset(
    *, batch: Batch, preset: Preset, deadlines: dict[str, datetime] | None = None
) -> list[Step]:
    """Give a batch the steps of a preset. Deadlines default to the preset's days after the
    applicants' deadline; `deadlines` sets them per kind."""
    from datetime import timedelta

    deadlines = deadlines or {}
    steps = [
        Step(
            batch=batch,
            position=position,
            kind=spec.kind,
            party=spec.party,
            deadline=deadlines.get(spec.kind, batch.applicant_deadline + timedelta(days=spec.days)),
            delivers_as_batch=spec.delivers_as_batch,
            with_scoring=spec.with_scoring,
            with_publicity=spec.with_publicity,
            title=spec.title,
        )
        for position, spec in enumerate(preset.steps, start=1)
    ]
    ensure_sound(steps)
    with transaction.atomic():
        batch.steps.all().delete()
        Step.objects.bulk_create(steps)
    batch._chain_cache = None
    return batch.chain()
