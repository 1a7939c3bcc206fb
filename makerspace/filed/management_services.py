"""Writes of dynamic management (动态管理): change requests up the chain, spot checks with their
findings, rectification with a deadline; fraud found on a visit revokes by the fraud rule."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makerspace.accounts.credit_code import normalise
from makerspace.accounts.models import Organisation, Role
from makerspace.audit.services import audit_record
from makerspace.core.errors import StateConflict
from makerspace.permissions import require

from .models import ChangeRequest, FiledSpace, Rectification, RevocationRule, SpotCheck, Status
from .services import _set_status, filed_space_end

# Where each state of a change request goes on approval: the recommending unit, then the province.
NEXT_ON_APPROVAL = {
    ChangeRequest.State.AT_RECOMMENDER: ChangeRequest.State.AT_PROVINCE,
    ChangeRequest.State.AT_PROVINCE: ChangeRequest.State.APPROVED,
}


def change_request_create(
    *, user, filed_space: FiledSpace, field: str, new_value: str, reason: str
) -> ChangeRequest:
    """A change of name follows R2 (`validate_space_name`); a new operating entity is named by
    its 统一社会信用代码 and must have registered."""
    require(user, "filed.request_change", filed_space, "只有该空间的运营主体可以申请变更。")
    if filed_space.change_requests.filter(
        state__in=[ChangeRequest.State.AT_RECOMMENDER, ChangeRequest.State.AT_PROVINCE]
    ).exists():
        raise StateConflict("该空间已有办理中的变更申请。")
    new_value = new_value.strip()
    request = ChangeRequest(
        filed_space=filed_space,
        field=field,
        old_value=_current(filed_space, field),
        new_value=new_value,
        reason=reason.strip(),
        requested_by=user,
    )
    if field == ChangeRequest.Field.OPERATOR:
        operator = Organisation.objects.filter(credit_code=normalise(new_value), kind=Role.APPLICANT).first()
        request.new_operator = operator
        if operator is not None:
            request.new_value = operator.name
    request.full_clean()
    with transaction.atomic():
        request.save()
        audit_record(
            action="filed.change_request",
            actor=user,
            target=filed_space,
            summary=f"{filed_space.name}申请变更{request.get_field_display()}："
            f"{request.old_value} → {request.new_value}",
        )
    return request


def _current(filed_space: FiledSpace, field: str) -> str:
    return {
        ChangeRequest.Field.NAME: filed_space.name,
        ChangeRequest.Field.OPERATOR: filed_space.operator_name,
        ChangeRequest.Field.ADDRESS: filed_space.address,
        ChangeRequest.Field.FIELD: filed_space.field,
    }[field]


def change_request_decide(*, user, request: ChangeRequest, approve: bool, comment: str = "") -> ChangeRequest:
    require(user, "filed.review_change", request, "您不能审核该变更申请。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不予批准须填写理由。"})
    with transaction.atomic():
        request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise StateConflict("该变更申请已办结。")
        source = request.state
        request.state = NEXT_ON_APPROVAL[source] if approve else ChangeRequest.State.REJECTED
        request.comments = [
            *request.comments,
            {
                "by": user.organisation.name if user.organisation_id else str(user),
                "at": timezone.now().isoformat(),
                "approve": approve,
                "comment": comment.strip(),
            },
        ]
        if not request.is_open:
            request.decided_at = timezone.now()
        request.save()
        if request.state == ChangeRequest.State.APPROVED:
            _apply(request)
        audit_record(
            action="filed.change_decide",
            actor=user,
            target=request.filed_space,
            summary=f"{request.filed_space.name}变更{request.get_field_display()}："
            f"{ChangeRequest.State(source).label} → {request.get_state_display()}",
            payload={"comment": comment.strip()},
        )
    return request


def _apply(request: ChangeRequest) -> None:
    filed_space = FiledSpace.objects.select_for_update().get(pk=request.filed_space_id)
    if request.field == ChangeRequest.Field.NAME:
        filed_space.name = request.new_value
    elif request.field == ChangeRequest.Field.OPERATOR:
        filed_space.operator = request.new_operator
        filed_space.operator_name = request.new_operator.name
    elif request.field == ChangeRequest.Field.ADDRESS:
        filed_space.address = request.new_value
    else:
        filed_space.field = request.new_value
    filed_space.full_clean()
    filed_space.save()
    request.filed_space = filed_space


def spot_check_record(
    *,
    user,
    filed_space: FiledSpace,
    visited_on: date,
    inspectors: str,
    findings: str,
    outcome: str,
    rectification_deadline: date | None = None,
    requirements: str = "",
) -> SpotCheck:
    """Record a visit. 限期整改 puts the space under rectification (整改中) until the province
    verifies it; 弄虚作假 revokes it by the fraud rule (credit register included)."""
    require(user, "filed.spot_check", filed_space, "只有省科技厅可以登记抽查。")
    if outcome == SpotCheck.Outcome.RECTIFY and (rectification_deadline is None or not requirements.strip()):
        raise ValidationError({"rectification_deadline": "限期整改须填写整改要求和整改期限。"})
    if rectification_deadline is not None and rectification_deadline <= timezone.localdate():
        raise ValidationError({"rectification_deadline": "整改期限应晚于今天。"})
    with transaction.atomic():
        filed_space = FiledSpace.objects.select_for_update().get(pk=filed_space.pk)
        if filed_space.status not in (Status.ACTIVE, Status.RECTIFYING):
            raise StateConflict(f"该空间当前状态为“{filed_space.get_status_display()}”。")
        check = SpotCheck(
            filed_space=filed_space,
            visited_on=visited_on,
            inspectors=inspectors.strip(),
            findings=findings.strip(),
            outcome=outcome,
            recorded_by=user,
        )
        check.full_clean()
        check.save()
        audit_record(
            action="filed.spot_check",
            actor=user,
            target=filed_space,
            summary=f"{filed_space.name}抽查：{check.get_outcome_display()}",
            payload={"visited_on": visited_on.isoformat(), "findings": check.findings},
        )
        if outcome == SpotCheck.Outcome.RECTIFY:
            Rectification.objects.create(
                filed_space=filed_space,
                spot_check=check,
                requirements=requirements.strip(),
                deadline=rectification_deadline,
            )
            if filed_space.status == Status.ACTIVE:
                _set_status(
                    filed_space=filed_space,
                    target=Status.RECTIFYING,
                    actor=user,
                    reason=f"抽查限期整改（{rectification_deadline:%Y-%m-%d}前）：{requirements.strip()}",
                    rule="spot_check",
                )
        elif outcome == SpotCheck.Outcome.FRAUD:
            filed_space_end(
                user=user,
                filed_space=filed_space,
                rule=RevocationRule.FRAUD,
                reason=f"{visited_on:%Y-%m-%d}现场抽查发现弄虚作假：{check.findings}",
            )
    return check


def rectification_complete(*, user, rectification: Rectification, note: str) -> Rectification:
    """The province verifies the rectification; with none left open the space is 在册 again."""
    require(user, "filed.spot_check", rectification.filed_space, "只有省科技厅可以确认整改。")
    if not note.strip():
        raise ValidationError({"note": "请填写整改情况。"})
    with transaction.atomic():
        rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if not rectification.is_open:
            raise StateConflict("该整改已确认完成。")
        rectification.completed_at = timezone.now()
        rectification.completion_note = note.strip()
        rectification.verified_by = user
        rectification.save()
        filed_space = FiledSpace.objects.select_for_update().get(pk=rectification.filed_space_id)
        still_open = filed_space.rectifications.filter(completed_at__isnull=True).exists()
        if filed_space.status == Status.RECTIFYING and not still_open:
            _set_status(
                filed_space=filed_space,
                target=Status.ACTIVE,
                actor=user,
                reason=f"整改完成：{note.strip()}",
                rule="rectified",
            )
    return rectification
