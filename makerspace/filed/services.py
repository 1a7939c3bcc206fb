"""Every write of a filed space's life goes through here: one transaction, one audit row each."""

from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from makerspace.accounts.models import Role, User
from makerspace.applications.conditions import ChainEnd
from makerspace.audit.services import audit_record
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.uploads import inspect_upload
from makerspace.notifications.services import notify_users
from makerspace.permissions import require

from . import workflow
from .chain import PRESETS, chain_from_preset
from .models import MANAGED, AnnualReport, FiledSpace, ReportEvent, ReportRound, Status, StatusChange
from .workflow import FILED, ReportState

# Filed spaces ------------------------------------------------------------------------------------


def filed_space_create(*, application, actor=None) -> FiledSpace:
    """The record of a space the ministry filed: called by the `file` transition itself
    (`applications.services.application_transition`), so no caller can file without it."""
    info = application.basic_info
    organisation = application.space.organisation
    filed_space = FiledSpace(
        application=application,
        space=application.space,
        batch=application.batch,
        number="",
        year=application.batch.year,
        name=application.space.name,
        operator=organisation,
        operator_name=info.operator_name or organisation.name,
        field=info.professional_direction,
        address=info.address,
        recommending_unit=application.recommending_unit,
        city=application.recommending_unit.city,
        status=Status.ACTIVE,
        filed_at=timezone.now(),
    )
    with transaction.atomic():
        filed_space.save()
        filed_space.number = FiledSpace.make_number(filed_space.year, filed_space.pk)
        filed_space.save(update_fields=["number"])
        StatusChange.objects.create(
            filed_space=filed_space, target=Status.ACTIVE, reason="科技部备案", actor=actor
        )
        audit_record(
            action="filed.create",
            actor=actor,
            target=filed_space,
            application=application,
            summary=f"备案众创空间 {filed_space.number} {filed_space.name}",
        )
    return filed_space


def _set_status(*, filed_space: FiledSpace, target: str, actor, reason: str, rule: str = "") -> StatusChange:
    source = filed_space.status
    filed_space.status = target
    filed_space.save(update_fields=["status"])
    change = StatusChange.objects.create(
        filed_space=filed_space, source=source, target=target, rule=rule, reason=reason, actor=actor
    )
    transaction.on_commit(partial(_notify_status, filed_space, change))
    audit_record(
        action="filed.status",
        actor=actor,
        target=filed_space,
        application=filed_space.application,
        summary=f"{filed_space.number} {filed_space.name}：{Status(source).label} → {Status(target).label}",
        payload={"from": source, "to": target, "rule": rule, "reason": reason},
    )
    return change


def _notify_status(filed_space: FiledSpace, change: StatusChange) -> None:
    label = Status(change.target).label
    notify_users(
        users=list(_operator_users(filed_space)),
        kind="filed_status",
        title=f"{filed_space.name}：{label}",
        body=f"备案众创空间 {filed_space.number} {filed_space.name} 状态变更为“{label}”。"
        + (f"\n理由：{change.reason}" if change.reason else ""),
        link=reverse("filed:space_detail", args=[filed_space.pk]),
    )


def after_application_transition(*, application, name: str, user, comment: str) -> None:
    """What an application's transition does to its filed space, inside the same transaction."""
    if name == "file":
        filed_space_create(application=application, actor=user)
        return
    filed_space = FiledSpace.objects.select_for_update().filter(application=application).first()
    if filed_space is None or filed_space.status == Status.REVOKED:
        return
    if name == "revoke":
        _set_status(filed_space=filed_space, target=Status.REVOKED, actor=user, reason=comment, rule="revoke")
    elif name == "disqualify":
        _set_status(filed_space=filed_space, target=Status.REVOKED, actor=user, reason=comment, rule="fraud")


# Reporting rounds --------------------------------------------------------------------------------


def _operator_users(filed_space: FiledSpace):
    return User.objects.filter(is_active=True, role=Role.APPLICANT, organisation_id=filed_space.operator_id)


def _prefill(report: AnnualReport) -> None:
    """Start from the space's latest report that went up the chain."""
    last = (
        AnnualReport.objects.filter(filed_space_id=report.filed_space_id, state__in=FILED)
        .exclude(round_id=report.round_id)
        .order_by("-round__year")
        .first()
    )
    if last is not None:
        for name in AnnualReport.FIGURES:
            setattr(report, name, getattr(last, name))


def round_open(*, user, year: int, title: str, deadline, preset: str = "with_unit") -> ReportRound:
    """The province opens a year's round: its chain of steps, and one task per managed filed space."""
    require(user, "filed.open_round", message="只有省科技厅可以发布年度报告工作。")
    if deadline <= timezone.now():
        raise ValidationError({"deadline": "截止时间应晚于现在。"})
    if preset not in PRESETS:
        raise ValidationError({"preset": "请选择报告流程。"})
    with transaction.atomic():
        report_round = ReportRound(year=year, title=title.strip() or f"{year}年度报告", opened_by=user)
        report_round.full_clean()
        report_round.save()
        chain_from_preset(round=report_round, preset=PRESETS[preset], deadline=deadline)
        spaces = list(FiledSpace.objects.filter(status__in=MANAGED).order_by("pk"))
        reports = []
        for filed_space in spaces:
            report = AnnualReport(round=report_round, filed_space=filed_space)
            _prefill(report)
            reports.append(report)
        AnnualReport.objects.bulk_create(reports)
        audit_record(
            action="filed.round_open",
            actor=user,
            target=report_round,
            summary=f"发布{report_round.title}，共{len(reports)}家",
            payload={"year": year, "deadline": deadline.isoformat(), "preset": preset},
        )
        link = reverse("filed:my_reports")
        operators = User.objects.filter(
            is_active=True, role=Role.APPLICANT, organisation__filed_spaces__in=spaces
        ).distinct()
        notify_users(
            users=list(operators),
            kind="annual_report_open",
            title=f"{report_round.title}已发布",
            body=f"请于{timezone.localtime(deadline):%Y-%m-%d %H:%M}前填报{year}年度报告并上传盖章件。",
            link=link,
        )
    return report_round


def _ensure_editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise StateConflict(f"年度报告当前状态为“{report.get_state_display()}”，不能修改。")


def report_save(*, user, report: AnnualReport, figures: dict) -> AnnualReport:
    """Save the year's figures; a change of any figure voids an earlier signature."""
    require(user, "filed.change_report", report, "只有该空间的运营主体可以填报年度报告。")
    _ensure_editable(report)
    with transaction.atomic():
        changed = [name for name, value in figures.items() if getattr(report, name) != value]
        for name in AnnualReport.FIGURES:
            if name in figures:
                setattr(report, name, figures[name])
        report.full_clean(exclude=["state"])
        if changed:
            report.signed_at = None
            report.signatory = ""
            report.row_version += 1
            report.save()
            audit_record(
                action="filed.report_save",
                actor=user,
                target=report,
                summary=f"保存{report}",
                payload={"fields": changed},
            )
    return report


def report_sign(*, user, report: AnnualReport, signatory: str) -> AnnualReport:
    require(user, "filed.change_report", report, "只有该空间的运营主体可以签署年度报告。")
    _ensure_editable(report)
    if not signatory.strip():
        raise ValidationError({"signatory": "请填写运营主体法人姓名。"})
    problems = report.figure_problems()
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        report.signatory = signatory.strip()
        report.signed_at = timezone.now()
        report.save(update_fields=["signatory", "signed_at"])
        audit_record(
            action="filed.report_sign",
            actor=user,
            target=report,
            summary=f"签署{report}（{report.signatory}）",
        )
    return report


def report_upload_sealed(*, user, report: AnnualReport, upload: UploadedFile) -> AnnualReport:
    require(user, "filed.change_report", report, "只有该空间的运营主体可以上传盖章件。")
    _ensure_editable(report)
    content_type, sha256, size = inspect_upload(upload)
    with transaction.atomic():
        report.sealed_copy.save("sealed", upload, save=False)
        report.sealed_copy_sha256 = sha256
        report.sealed_copy_type = content_type
        report.save(update_fields=["sealed_copy", "sealed_copy_sha256", "sealed_copy_type"])
        audit_record(
            action="filed.report_upload",
            actor=user,
            target=report,
            summary=f"上传{report}盖章件",
            payload={"sha256": sha256, "size": size},
        )
    return report


def _holders(report: AnnualReport) -> list[User]:
    step = report.step
    if step is None:
        return list(_operator_users(report.filed_space))
    users = User.objects.filter(is_active=True, role=step.party)
    if step.party == Role.APPLICANT:
        users = users.filter(organisation_id=report.filed_space.operator_id)
    elif step.party == Role.RECOMMENDER:
        users = users.filter(organisation__recommending_unit_id=report.filed_space.recommending_unit_id)
    return list(users)


def _notify_report(report: AnnualReport, event: ReportEvent) -> None:
    label = workflow.TRANSITION_LABELS.get(event.transition, event.transition)
    recipients = {u.pk: u for u in [*_holders(report), *_operator_users(report.filed_space)]}
    recipients.pop(event.actor_id, None)
    body = f"{report}：{label}。状态：{ReportState(event.source).label} → {ReportState(event.target).label}"
    if event.comment:
        body += f"\n意见：{event.comment}"
    notify_users(
        users=list(recipients.values()),
        kind=f"annual_report_{event.transition}",
        title=f"{report}：{label}",
        body=body,
        link=reverse("filed:report_detail", args=[report.pk]),
    )


def report_transition(*, user, report: AnnualReport, name: str, comment: str = "") -> ReportEvent:
    """Fire one transition of an annual report with its event and audit row, atomically; the
    transition's own conditions (`workflow.GUARDS`) decide whether it may go."""
    if name in workflow.REASON_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "请填写意见或理由。"})
    method = getattr(report, name)
    if not can_proceed(method, check_conditions=False):
        raise StateConflict(f"年度报告当前状态为“{report.get_state_display()}”，不能执行此操作；请刷新页面。")
    if not method._django_fsm.has_transition_perm(report, report.state, user):
        raise PermissionDenied("您无权对该年度报告执行此操作。")
    source = report.state
    try:
        with transaction.atomic():
            try:
                method()
            except TransitionNotAllowed:
                unmet = workflow.unmet(report, name)
                first = unmet[0] if unmet else None
                raise RuleViolation(
                    first.rule if first else "", first.message if first else "不满足办理条件。"
                ) from None
            except ChainEnd as end:
                raise StateConflict(str(end)) from None
            if name == "submit":
                report.submitted_at = timezone.now()
            report.row_version += 1
            report.save()
            event = ReportEvent.objects.create(
                report=report,
                transition=name,
                source=source,
                target=report.state,
                actor=user if user is not None and user.is_authenticated else None,
                organisation_name=user.organisation.name if user is not None and user.organisation_id else "",
                comment=comment.strip(),
            )
            audit_record(
                action=f"filed.report_{name}",
                actor=user,
                target=report,
                summary=f"{report}：{ReportState(source).label} → {report.get_state_display()}",
                payload={"from": source, "to": report.state, "comment": comment.strip()},
            )
            transaction.on_commit(partial(_notify_report, report, event))
    except ConcurrentTransition:
        report.refresh_from_db()
        raise StateConflict(
            f"该年度报告刚刚已被他人处理，当前状态为“{report.get_state_display()}”。"
        ) from None
    return event


def round_close(*, user, report_round: ReportRound) -> list[AnnualReport]:
    """After the report deadline the province closes the count: every report still not submitted is
    recorded as missing (逾期未报), and the revocation rules read the record (`filed.rules`)."""
    require(user, "filed.manage_round", report_round, "只有省科技厅可以统计逾期未报。")
    if report_round.closed_at is not None:
        raise StateConflict("本年度报告工作已统计过逾期未报。")
    missing = []
    with transaction.atomic():
        for report in AnnualReport.objects.filter(round=report_round, state=ReportState.DRAFT).select_related(
            "round", "filed_space"
        ):
            report.round = report_round
            report_transition(user=user, report=report, name="mark_missing")
            missing.append(report)
        report_round.closed_at = timezone.now()
        report_round.save(update_fields=["closed_at"])
        audit_record(
            action="filed.round_close",
            actor=user,
            target=report_round,
            summary=f"{report_round.title}截止统计：逾期未报{len(missing)}家",
            payload={"missing": [r.filed_space_id for r in missing]},
        )
        from .rules import apply_missing_reports_rule

        apply_missing_reports_rule(user=user, report_round=report_round, missing=missing)
    return missing


# Revocation (the rules: `filed.rules`) -----------------------------------------------------------


def revocation_propose(*, user, filed_space: FiledSpace, rule: str, reason: str):
    from .models import RevocationProposal

    existing = RevocationProposal.objects.filter(
        filed_space=filed_space, rule=rule, decision=RevocationProposal.Decision.PENDING
    ).first()
    if existing is not None:
        return existing
    proposal = RevocationProposal.objects.create(filed_space=filed_space, rule=rule, reason=reason)
    audit_record(
        action="filed.revocation_propose",
        actor=user,
        target=filed_space,
        application=filed_space.application,
        summary=f"{filed_space.number} {filed_space.name}：建议撤销（{proposal.get_rule_display()}）",
        payload={"rule": rule, "reason": reason},
    )
    return proposal


def exit_request(*, user, filed_space: FiledSpace, reason: str):
    """The operating entity asks to leave the list (主动退出); the province decides the proposal and,
    if it agrees, the space is cancelled (注销) without a credit record."""
    from .models import RevocationRule

    require(user, "filed.request_change", filed_space, "只有该空间的运营主体可以申请退出。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写退出理由。"})
    with transaction.atomic():
        return revocation_propose(
            user=user, filed_space=filed_space, rule=RevocationRule.VOLUNTARY_EXIT, reason=reason.strip()
        )


def filed_space_end(
    *, user, filed_space: FiledSpace, rule: str, reason: str, source_document: str = ""
) -> FiledSpace:
    """Revoke (撤销) or cancel (注销) a filed space by one of the rules, writing the credit register
    where the rule says so. The space stays on the public list, marked, with its history."""
    from .rules import EFFECTS

    require(user, "filed.revoke_filedspace", filed_space, "只有省科技厅可以撤销或注销备案。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写理由。"})
    effect = EFFECTS[rule]
    with transaction.atomic():
        filed_space = FiledSpace.objects.select_for_update().get(pk=filed_space.pk)
        if filed_space.status not in MANAGED:
            raise StateConflict(f"该空间当前状态为“{filed_space.get_status_display()}”，不能再撤销或注销。")
        _set_status(
            filed_space=filed_space, target=effect.target, actor=user, reason=reason.strip(), rule=rule
        )
        if effect.credit:
            from makerspace.credit.models import CreditRecord
            from makerspace.credit.services import credit_record_add

            credit_record_add(
                user=user,
                credit_code=filed_space.operator.credit_code,
                subject_name=filed_space.operator_name,
                kind=CreditRecord.Kind.BAD_SCIENTIFIC_CREDIT,
                reason=f"{filed_space.name}：{reason.strip()}",
                source_document=source_document.strip() or f"撤销备案（{filed_space.number}）",
                starts_on=timezone.localdate(),
                application=filed_space.application,
            )
        application = filed_space.application
        if (
            effect.target == Status.REVOKED
            and application.state == "published"
            and user.has_perm("applications.revoke", application)
        ):
            from makerspace.applications.services import application_transition

            application_transition(user=user, application=application, name="revoke", comment=reason.strip())
        from .models import RevocationProposal

        RevocationProposal.objects.filter(
            filed_space=filed_space, decision=RevocationProposal.Decision.PENDING
        ).update(decision=RevocationProposal.Decision.REVOKED, decided_by=user, decided_at=timezone.now())
    return filed_space


def revocation_decide(*, user, proposal, revoke: bool, comment: str):
    """The province decides a proposal: revoke by its rule, or keep the space with a reason."""
    from .models import RevocationProposal

    require(user, "filed.revoke_filedspace", proposal.filed_space, "只有省科技厅可以决定撤销建议。")
    if proposal.decision != RevocationProposal.Decision.PENDING:
        raise StateConflict("该撤销建议已有决定。")
    if not comment.strip():
        raise ValidationError({"comment": "请填写决定意见。"})
    with transaction.atomic():
        if revoke:
            filed_space_end(
                user=user, filed_space=proposal.filed_space, rule=proposal.rule, reason=proposal.reason
            )
            proposal.refresh_from_db()
            proposal.decision_comment = comment.strip()
            proposal.save(update_fields=["decision_comment"])
        else:
            proposal.decision = RevocationProposal.Decision.KEPT
            proposal.decided_by = user
            proposal.decided_at = timezone.now()
            proposal.decision_comment = comment.strip()
            proposal.save()
            audit_record(
                action="filed.revocation_keep",
                actor=user,
                target=proposal.filed_space,
                summary=f"{proposal.filed_space.name}：不予撤销（{proposal.get_rule_display()}）",
                payload={"comment": comment.strip()},
            )
    return proposal


# Reminders ---------------------------------------------------------------------------------------

REMINDER_DAYS = (7, 3, 1)


def reminders_send(*, now=None) -> int:
    """Remind the operating entity of every report still to be filed 7, 3 and 1 days before the
    deadline, exactly once per threshold: the sent-reminder row's unique constraint decides, so a
    second run (or a second worker) sends nothing more. A run that comes late sends only the
    tightest threshold reached, and records the looser ones as passed."""
    from .models import ReminderSent

    now = now or timezone.now()
    sent = 0
    reports = AnnualReport.objects.filter(
        state__in=[ReportState.DRAFT, ReportState.RETURNED],
        round__closed_at__isnull=True,
        filed_space__status__in=MANAGED,
    ).select_related("round", "filed_space")
    for report in reports:
        deadline = report.round.deadline
        if deadline is None or deadline <= now:
            continue
        left = deadline - now
        reached = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
        if not reached:
            continue
        with transaction.atomic():
            new = []
            for days in reached:
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(report=report, days_before=days)
                except IntegrityError:
                    continue
                new.append(days)
            if not new:
                continue
            tightest = min(new)
            notify_users(
                users=list(_operator_users(report.filed_space)),
                kind="annual_report_reminder",
                title=f"{report}：距填报截止还有{tightest}天",
                body=(
                    f"{report}尚未提交，填报截止时间为{timezone.localtime(deadline):%Y-%m-%d %H:%M}。"
                    "请及时填报、签署并上传盖章件。"
                ),
                link=reverse("filed:report_detail", args=[report.pk]),
            )
            sent += 1
    return sent
