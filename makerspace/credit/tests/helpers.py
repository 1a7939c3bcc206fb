from datetime import timedelta

from django.utils import timezone

from makerspace.credit.models import CreditRecord
from makerspace.credit.services import credit_record_add


def bad_record(
    world, credit_code: str, name: str = "被记录单位", *, days_ago: int = 30, ends_in: int | None = 700
):
    today = timezone.localdate()
    return credit_record_add(
        user=world.province,
        credit_code=credit_code,
        subject_name=name,
        kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
        reason="2017年科技计划项目申报中提供虚假材料",
        source_document="苏科监〔2017〕12号",
        starts_on=today - timedelta(days=days_ago),
        ends_on=today + timedelta(days=ends_in) if ends_in is not None else None,
    )
