"""Reads of the credit register, and R8: the one check of "no bad credit record"."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from makerspace.accounts.credit_code import normalise

from .models import CreditRecord


def active_bad_records(credit_code: str, on: date | None = None) -> QuerySet[CreditRecord]:
    """The records in force for this 统一社会信用代码 on the given day (default: today, server time)."""
    on = on or timezone.localdate()
    return CreditRecord.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        credit_code=normalise(credit_code),
        starts_on__lte=on,
    ).select_related("recorded_by")


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


def check_r8_credit(organisation, on: date | None = None) -> CreditCheck:
    """R8: the system itself looks the applicant up in the register before the supervisor signs."""
    on = on or timezone.localdate()
    return CreditCheck(
        credit_code=organisation.credit_code,
        subject_name=organisation.name,
        checked_on=on,
        records=tuple(active_bad_records(organisation.credit_code, on)),
    )
