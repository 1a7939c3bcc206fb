"""What changed between two submitted versions, in the words of the forms.

Reviewers see a returned application again; they should read what the applicant changed, not the
whole file again. `compare_versions` works on the frozen `ApplicationVersion.data` snapshots (see
`services.application_snapshot`), so it shows exactly what was submitted each time.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from makerspace.accounts.models import Nature
from makerspace.core.prepared import Prepared

from .models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BasicInfo,
    ProvincialFiling,
    Report,
    SuccessCase,
)

EMPTY = "（空）"
SECTION_SETTINGS = "申报设置"
SECTION_BASIC = "附件2 基础信息表"
SECTION_REPORT = "附件3 申报书"
SECTION_CASES = "附件3 成功案例"
SECTION_FILES = "材料"
SECTION_COMMITMENT = "附件4 信用承诺书"

TOP_LEVEL = [
    ("space", "众创空间名称"),
    ("recommending_unit", "推荐单位"),
    ("supervisor", "主管部门"),
    ("provincial_filing", Application._meta.get_field("provincial_filing").verbose_name),
]
CHOICES = {
    "operator_nature": dict(Nature.choices),
    "provincial_filing": dict(ProvincialFiling.choices),
}
SINGLE_FILE_KINDS = {Attachment.Kind.APPLICANT_COMMITMENT, Attachment.Kind.SUPERVISOR_COMMITMENT}


@dataclass(frozen=True)
class Change:
    section: str
    label: str
    old: str
    new: str
    kind: str = "changed"  # changed | added | removed | replaced

    @property
    def kind_label(self) -> str:
        return {"changed": "修改", "added": "新增", "removed": "删除", "replaced": "替换"}[self.kind]


@dataclass(frozen=True)
class Comparison:
    old_number: int
    new_number: int
    changes: list[Change] = field(default_factory=list)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _display(name: str, value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in CHOICES:
        return str(CHOICES[name].get(value, value))
    return str(value)


def _same(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return a == b


def _field_changes(section: str, model, old: dict, new: dict, prefix: str = "") -> list[Change]:
    names = [f.name for f in model._meta.concrete_fields if f.name in old or f.name in new]
    return [
        Change(
            section,
            prefix + _label(model, name),
            _display(name, old.get(name)),
            _display(name, new.get(name)),
        )
        for name in names
        if not _same(old.get(name), new.get(name))
    ]


def _case_title(case: dict) -> str:
    return f"成功案例“{case.get('title') or EMPTY}”"


def _case_summary(case: dict) -> str:
    return f"{case.get('title') or EMPTY}（{case.get('enterprise_name') or EMPTY}）"


def _case_changes(old_cases: list[dict], new_cases: list[dict]) -> list[Change]:
    """Cases carry no stable id in a snapshot: pair them by title first, then by position."""
    old_left, new_left = list(old_cases), list(new_cases)
    pairs = []
    for case in list(new_left):
        match = next((o for o in old_left if o.get("title") == case.get("title")), None)
        if match is not None:
            pairs.append((match, case))
            old_left.remove(match)
            new_left.remove(case)
    for case in list(new_left):
        match = next((o for o in old_left if o.get("position") == case.get("position")), None)
        if match is not None:
            pairs.append((match, case))
            old_left.remove(match)
            new_left.remove(case)
    changes = []
    for old, new in sorted(pairs, key=lambda pair: pair[1].get("position") or 0):
        fields = {k: v for k, v in old.items() if k != "position"}
        changes += _field_changes(
            SECTION_CASES,
            SuccessCase,
            fields,
            {k: v for k, v in new.items() if k != "position"},
            _case_title(old) + "·",
        )
    changes += [Change(SECTION_CASES, "成功案例", EMPTY, _case_summary(c), "added") for c in new_left]
    changes += [Change(SECTION_CASES, "成功案例", _case_summary(c), EMPTY, "removed") for c in old_left]
    return changes


def _file_label(item: dict) -> str:
    return (
        f"{item.get('title') or item.get('original_name') or EMPTY}（SHA-256 {item.get('sha256', '')[:12]}…）"
    )


def _file_changes(old_files: list[dict], new_files: list[dict]) -> list[Change]:
    """Files are compared by their SHA-256: same bytes, same file, whatever its name."""
    by_kind_old, by_kind_new = defaultdict(list), defaultdict(list)
    for item in old_files:
        by_kind_old[item.get("kind")].append(item)
    for item in new_files:
        by_kind_new[item.get("kind")].append(item)
    kinds = sorted(set(by_kind_old) | set(by_kind_new), key=str)
    changes = []
    for kind in kinds:
        label = str(dict(Attachment.Kind.choices).get(kind, kind))
        old_hashes = {i["sha256"] for i in by_kind_old[kind]}
        new_hashes = {i["sha256"] for i in by_kind_new[kind]}
        removed = [i for i in by_kind_old[kind] if i["sha256"] not in new_hashes]
        added = [i for i in by_kind_new[kind] if i["sha256"] not in old_hashes]
        replaced = []
        for item in list(added):
            match = next(
                (r for r in removed if kind in SINGLE_FILE_KINDS or r.get("title") == item.get("title")), None
            )
            if match is not None:
                replaced.append((match, item))
                removed.remove(match)
                added.remove(item)
        changes += [
            Change(SECTION_FILES, label, _file_label(old), _file_label(new), "replaced")
            for old, new in replaced
        ]
        changes += [Change(SECTION_FILES, label, EMPTY, _file_label(i), "added") for i in added]
        changes += [Change(SECTION_FILES, label, _file_label(i), EMPTY, "removed") for i in removed]
    return changes


def compare_snapshots(old: dict, new: dict) -> list[Change]:
    """Every difference between two snapshots, in the order of the forms."""
    changes = [
        Change(SECTION_SETTINGS, label, _display(key, old.get(key)), _display(key, new.get(key)))
        for key, label in TOP_LEVEL
        if not _same(old.get(key), new.get(key))
    ]
    changes += _field_changes(SECTION_BASIC, BasicInfo, old.get("basic_info", {}), new.get("basic_info", {}))
    changes += _field_changes(SECTION_REPORT, Report, old.get("report", {}), new.get("report", {}))
    changes += _case_changes(old.get("success_cases", []), new.get("success_cases", []))
    changes += _file_changes(old.get("attachments", []), new.get("attachments", []))
    old_signatory = (old.get("commitment") or {}).get("signatory")
    new_signatory = (new.get("commitment") or {}).get("signatory")
    if not _same(old_signatory, new_signatory):
        changes.append(
            Change(
                SECTION_COMMITMENT,
                "运营主体法人（签字）",
                _display("", old_signatory),
                _display("", new_signatory),
            )
        )
    return changes


def compare_versions(old: ApplicationVersion, new: ApplicationVersion) -> Comparison:
    return Comparison(old.number, new.number, compare_snapshots(old.data, new.data))


def _acted_on(application_id: int, **acted) -> QuerySet:
    return (
        ApplicationEvent.objects.filter(application_id=application_id, version_number__isnull=False, **acted)
        .order_by("-at", "-id")
        .values_list("version_number", flat=True)[:1]
    )


def _last_reviewed_by_unit(application_id: int, organisation_id: int, role: str) -> QuerySet:
    return _acted_on(application_id, actor__organisation_id=organisation_id, role=role)


def _last_reviewed_by_reviewer(application_id: int, reviewer_id: int) -> QuerySet:
    return _acted_on(application_id, actor_id=reviewer_id)


def _two_versions(application_id: int, old: int, new: int) -> QuerySet[ApplicationVersion]:
    return ApplicationVersion.objects.filter(application_id=application_id, number__in=[old, new])


# Every review page asks for the changes since the reviewer's last decision: its reads compiled
# once (makerspace.core.prepared).
_LAST_REVIEWED_BY_UNIT = Prepared(_last_reviewed_by_unit, int, int, str)
_LAST_REVIEWED_BY_REVIEWER = Prepared(_last_reviewed_by_reviewer, int, int)
_TWO_VERSIONS = Prepared(_two_versions, int, int, int)


def changes_since_last_review(application: Application, reviewer, events=None) -> Comparison | None:
    """The version `reviewer` last acted on against the current one; None when there is nothing to
    compare (the reviewer never acted on it, or acted on the current version). Two queries; one
    when the page passes the application's `events`, newest first with their actors'
    organisation (its timeline's), to find the version among.

    A reviewer acts for an organisation: what a colleague of the same unit decided counts as
    reviewed by it, so whoever picks up a resubmission sees the changes since the unit's decision."""
    if events is not None:
        last_reviewed = next(
            (
                e.version_number
                for e in events
                if e.version_number is not None
                and (
                    e.actor.organisation_id == reviewer.organisation_id and e.role == reviewer.role
                    if reviewer.organisation_id
                    else e.actor_id == reviewer.pk
                )
            ),
            None,
        )
    elif reviewer.organisation_id:
        unit = reviewer.organisation_id
        last_reviewed = _LAST_REVIEWED_BY_UNIT.first(application.pk, unit, reviewer.role)
    else:
        last_reviewed = _LAST_REVIEWED_BY_REVIEWER.first(application.pk, reviewer.pk)
    current = application.current_version
    if not last_reviewed or not current or last_reviewed >= current:
        return None
    versions = {v.number: v for v in _TWO_VERSIONS(application.pk, last_reviewed, current)}
    if len(versions) != 2:
        return None
    return compare_versions(versions[last_reviewed], versions[current])
