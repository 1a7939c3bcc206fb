"""Reads of the credit register, and R8: the one check of "no bad credit record"."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from makerspace.accounts.credit_code import normalise

from .models import CreditImport, CreditRecord


def active_bad_records(credit_code: str, on: date | None = None) -> QuerySet[CreditRecord]:
    """The records in force for this 统一社会信用代码 on the given day (default: today, server time).
    What a check shows and refuses with is the records' own (kind, reason, source, period): who
    entered them is not joined."""
    on = on or timezone.localdate()
    return CreditRecord.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        credit_code=normalise(credit_code),
        starts_on__lte=on,
    )


# Where the register is checked, and what a record in force refuses there.
CHECKPOINTS = {
    "registration": "请注意：该单位在信用记录有效期内不能提交申报",
    "submission": "不能提交申报",
    "supervisor": "主管部门不能出具信用承诺书",
    "formal_review": "不能通过形式审查",
    "chain": "不能在审核链中继续办理",
}


@dataclass(frozen=True)
class CreditCheck:
    credit_code: str
    subject_name: str
    checked_on: date
    records: tuple[CreditRecord, ...]

    @property
    def clean(self) -> bool:
        return not self.records

    def summary(self) -> str:
        if self.clean:
            return (
                f"{self.subject_name}（{self.credit_code}）截至{self.checked_on:%Y年%m月%d日}无不良信用记录。"
            )
        kinds = "、".join(sorted({r.get_kind_display() for r in self.records}))
        return (
            f"{self.subject_name}（{self.credit_code}）截至{self.checked_on:%Y年%m月%d日}"
            f"有{len(self.records)}条有效的不良信用记录（{kinds}），主管部门不能出具信用承诺书。"
        )

    def refusal(self, checkpoint: str) -> str:
        """What every party is told: why, with each record's kind, reason, source and dates."""
        records = "；".join(r.describe() for r in self.records)
        return (
            f"{self.subject_name}（{self.credit_code}）有{len(self.records)}条有效的不良信用记录，"
            f"{CHECKPOINTS[checkpoint]}。{records}"
        )


# The register's records in force, by code and day, read inside `register_read_once`.
_register_reads: ContextVar[dict | None] = ContextVar("register_reads", default=None)


@contextmanager
def register_read_once() -> Iterator[None]:
    """Inside this block the register is read once per 统一社会信用代码 and day: a service that
    checks R8 on record and then fires a transition whose own condition is R8 (submission) asks
    the database once, and both checks see the same records. Outside it every check reads anew."""
    token = _register_reads.set({})
    try:
        yield
    finally:
        _register_reads.reset(token)


def check_r8_credit(organisation, on: date | None = None) -> CreditCheck:
    """R8: the system itself looks the applicant up in the register before the supervisor signs."""
    on = on or timezone.localdate()
    reads = _register_reads.get()
    key = (normalise(organisation.credit_code), on)
    if reads is not None and key in reads:
        records = reads[key]
    else:
        records = tuple(active_bad_records(organisation.credit_code, on))
        if reads is not None:
            reads[key] = records
    return CreditCheck(
        credit_code=organisation.credit_code,
        subject_name=organisation.name,
        checked_on=on,
        records=records,
    )


# The register's screens ------------------------------------------------------------------------

STATUS_FILTERS = {
    "active": "有效",
    "ended": "已到期或已提前终止",
    "all": "全部",
}


def register_list(*, query: str = "", kind: str = "", status: str = "active", on: date | None = None):
    """The register, searched by name or code, filtered by kind and by whether in force today."""
    on = on or timezone.localdate()
    qs = CreditRecord.objects.select_related("recorded_by", "ended_early_by", "application")
    query = query.strip()
    if query:
        qs = qs.filter(Q(subject_name__icontains=query) | Q(credit_code__icontains=normalise(query)))
    if kind in CreditRecord.Kind.values:
        qs = qs.filter(kind=kind)
    in_force = Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    if status == "active":
        qs = qs.filter(in_force)
    elif status == "ended":
        qs = qs.exclude(in_force)
    return qs.order_by("-starts_on", "-id")


def visible_imports(user) -> QuerySet[CreditImport]:
    return CreditImport.objects.filter(uploaded_by=user)


# Export for the provincial public credit platform (columns documented in docs/integrity.md) ---

EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("record_id", "记录编号"),
    ("credit_code", "统一社会信用代码"),
    ("subject_name", "单位名称"),
    ("kind", "记录类别"),
    ("kind_code", "记录类别代码"),
    ("reason", "记录事由"),
    ("source_document", "依据文件"),
    ("starts_on", "起始日期"),
    ("ends_on", "截止日期"),
    ("in_force", "当前是否有效"),
    ("origin", "来源"),
    ("application_number", "相关申报编号"),
    ("ended_early_reason", "提前终止理由"),
    ("recorded_at", "登记时间"),
]


def export_rows(records, on: date | None = None) -> list[dict]:
    on = on or timezone.localdate()
    return [
        {
            "record_id": r.pk,
            "credit_code": r.credit_code,
            "subject_name": r.subject_name,
            "kind": r.get_kind_display(),
            "kind_code": r.kind,
            "reason": r.reason,
            "source_document": r.source_document,
            "starts_on": r.starts_on.isoformat(),
            "ends_on": r.ends_on.isoformat() if r.ends_on else "",
            "in_force": r.in_force_on(on),
            "origin": r.get_origin_display(),
            "application_number": r.application.number if r.application_id else "",
            "ended_early_reason": r.end_reason,
            "recorded_at": timezone.localtime(r.recorded_at).isoformat(timespec="seconds"),
        }
        for r in records
    ]
