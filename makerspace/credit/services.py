from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from makerspace.accounts.credit_code import normalise
from makerspace.audit.services import audit_record

from .models import CreditRecord


def credit_record_add(
    *,
    user,
    credit_code: str,
    subject_name: str,
    kind: str,
    reason: str,
    source_document: str,
    starts_on: date,
    ends_on: date | None = None,
) -> CreditRecord:
    if not user.has_perm("credit.add_creditrecord"):
        raise PermissionDenied("只有省科技厅可以登记信用记录。")
    record = CreditRecord(
        credit_code=normalise(credit_code),
        subject_name=subject_name.strip(),
        kind=kind,
        reason=reason.strip(),
        source_document=source_document.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=user,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(
            action="credit.record_add",
            actor=user,
            target=record,
            summary=f"登记信用记录：{record.subject_name}（{record.get_kind_display()}）",
            payload={"credit_code": record.credit_code, "source_document": record.source_document},
        )
    return record
