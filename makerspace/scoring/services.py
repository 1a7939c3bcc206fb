"""Writes of expert scoring: one transaction and one audit row each. Conflicts of interest are
checked in `assignment_create`, the one way an expert is ever assigned."""

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from makerspace.accounts.models import Role, User
from makerspace.applications.models import Application
from makerspace.audit.services import audit_record
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.permissions import EXPERT_ASSIGNABLE, require

from . import sheet
from .conflicts import conflicts_between
from .models import Assignment, BatchWeights, ConflictDeclaration, ExpertProfile

EXPERTS_PER_APPLICATION = 3


# Experts ---------------------------------------------------------------------------------------


class _OutboxPasswordResetForm(PasswordResetForm):
    """The invitation's set-password mail, written now and recorded in the outbox with the new
    account: it leaves only if the account commits, and waits while the broker is down."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **_):
        from django.template import loader

        from makerspace.core.outbox import outbox_enqueue
        from makerspace.core.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_enqueue(send_email, subject, body, [to_email])


def expert_invite(
    *,
    user,
    username: str,
    full_name: str,
    email: str,
    mobile: str,
    organisation_name: str,
    city: str = "",
    specialty: str = "",
    title: str = "",
    request=None,
) -> User:
    """The province creates an expert's account and sends the link to set a password."""
    require(user, "scoring.manage_experts", message="只有省科技厅可以邀请评审专家。")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    with transaction.atomic():
        expert = User(
            username=username.strip(),
            full_name=full_name.strip(),
            email=email.strip(),
            mobile=mobile.strip(),
            role=Role.EXPERT,
        )
        # Nobody knows this password: the expert sets one through the e-mailed link.
        expert.set_password(secrets.token_urlsafe(32))
        expert.full_clean(exclude=["password"])
        expert.save()
        profile = ExpertProfile.objects.create(
            user=expert,
            organisation_name=organisation_name.strip(),
            city=city.strip(),
            specialty=specialty.strip(),
            title=title.strip(),
            invited_by=user,
        )
        audit_record(
            action="scoring.expert_invite",
            actor=user,
            target=profile,
            summary=f"邀请评审专家 {expert.full_name}（{profile.organisation_name}）",
        )

        form = _OutboxPasswordResetForm({"email": expert.email})
        if form.is_valid():
            form.save(
                request=request,
                domain_override=None if request else "localhost",
                subject_template_name="accounts/password_reset_subject.txt",
                email_template_name="accounts/password_reset_email.txt",
            )
    return expert


def expert_profile_update(
    *, user, organisation_name: str, city: str, specialty: str, title: str
) -> ExpertProfile:
    """The expert keeps the work unit and city the conflict check compares against."""
    require(user, "scoring.view_assignments", message="只有评审专家可以填写本人信息。")
    with transaction.atomic():
        profile, _ = ExpertProfile.objects.get_or_create(
            user=user, defaults={"organisation_name": organisation_name, "invited_by": user}
        )
        profile.organisation_name = organisation_name.strip()
        profile.city = city.strip()
        profile.specialty = specialty.strip()
        profile.title = title.strip()
        profile.full_clean()
        profile.save()
        removed = _withdraw_conflicting(user)
        audit_record(
            action="scoring.profile_update",
            actor=user,
            target=profile,
            summary=f"专家信息：{profile.organisation_name}，{profile.city or '省外'}",
            payload={"withdrawn_assignments": removed},
        )
    return profile


def conflict_declare(
    *, user, reason: str, application: Application | None = None, organisation_name: str = ""
):
    """An expert states a conflict by hand; an unscored assignment it touches is withdrawn."""
    require(user, "scoring.view_assignments", message="只有评审专家可以声明回避。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写回避理由。"})
    declaration = ConflictDeclaration(
        expert=user,
        application=application,
        organisation_name=organisation_name.strip(),
        reason=reason.strip(),
    )
    declaration.full_clean()
    with transaction.atomic():
        declaration.save()
        removed = _withdraw_conflicting(user)
        audit_record(
            action="scoring.conflict_declare",
            actor=user,
            target=declaration,
            application=application,
            summary=f"声明回避：{application.number if application else declaration.organisation_name}",
            payload={"reason": declaration.reason, "withdrawn_assignments": removed},
        )
    return declaration


def _withdraw_conflicting(expert) -> list[int]:
    """Unscored assignments that a newly known conflict forbids are withdrawn (never a submitted one)."""
    profile = ExpertProfile.objects.filter(user=expert).first()
    declarations = list(ConflictDeclaration.objects.filter(expert=expert))
    open_assignments = Assignment.objects.filter(expert=expert, submitted_at__isnull=True).select_related(
        "application__space__organisation", "application__basic_info", "application__recommending_unit"
    )
    removed = [
        a.pk for a in open_assignments if conflicts_between(expert, profile, declarations, a.application)
    ]
    Assignment.objects.filter(pk__in=removed).delete()
    return removed


# Weights ---------------------------------------------------------------------------------------


def weights_for(batch) -> BatchWeights:
    """The batch's weights, or the defaults (unsaved) when the province has set none."""
    return BatchWeights.objects.filter(batch=batch).first() or BatchWeights(
        batch=batch, **BatchWeights.DEFAULTS
    )


def weights_set(*, user, batch, basic: int, features: int, tasks: int) -> BatchWeights:
    require(user, "scoring.manage_scoring", batch, "只有省科技厅可以设置评分权重。")
    if basic + features + tasks != 100:
        raise ValidationError({"__all__": f"三部分权重之和应为100，当前为{basic + features + tasks}。"})
    if Assignment.objects.filter(application__batch=batch, submitted_at__isnull=False).exists():
        raise StateConflict("已有专家提交评分，本批次的权重不能再修改。")
    with transaction.atomic():
        weights, _ = BatchWeights.objects.update_or_create(
            batch=batch, defaults={"basic": basic, "features": features, "tasks": tasks, "set_by": user}
        )
        audit_record(
            action="scoring.weights_set",
            actor=user,
            target=weights,
            summary=f"{batch.title}评分权重：基本条件{basic}%，主要特征{features}%，主要任务{tasks}%",
        )
    return weights


# Assignment ------------------------------------------------------------------------------------


def _application_for_check(application_id: int) -> Application:
    return Application.objects.select_related(
        "space__organisation", "basic_info", "recommending_unit", "batch"
    ).get(pk=application_id)


def assignment_create(
    *, user, application: Application, expert, method: str = Assignment.Method.MANUAL
) -> Assignment:
    """Assign an expert to a formally passed application, never where a conflict of interest exists."""
    require(user, "scoring.manage_scoring", application, "只有省科技厅可以分配评审专家。")
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError({"expert": "只能分配给已启用的评审专家账号。"})
    application = _application_for_check(application.pk)
    if application.state not in EXPERT_ASSIGNABLE:
        raise StateConflict(
            f"申报当前状态为“{application.get_state_display()}”，只能为形式审查通过的申报分配专家。"
        )
    require(user, "scoring.assign_expert", application, "只有省科技厅可以分配评审专家。")
    profile = ExpertProfile.objects.filter(user=expert).first()
    declarations = list(ConflictDeclaration.objects.filter(expert=expert))
    reasons = conflicts_between(expert, profile, declarations, application)
    if reasons:
        raise RuleViolation(
            "回避", f"{expert}与{application.number}存在利益冲突，不能分配：{'；'.join(reasons)}"
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                application=application, expert=expert, method=method, assigned_by=user
            )
            audit_record(
                action="scoring.assign",
                actor=user,
                target=assignment,
                application=application,
                summary=f"分配评审专家 {expert}（{Assignment.Method(method).label}）",
            )
    except IntegrityError:
        raise ValidationError({"expert": f"{expert}已分配评审该申报。"}) from None
    return assignment


def auto_assign(*, user, batch, per_application: int = EXPERTS_PER_APPLICATION) -> tuple[int, list[str]]:
    """Give every formally passed application of the batch `per_application` experts without a
    conflict, each time choosing the least loaded (fewest assignments in this batch, then the
    earliest invited). Returns (assignments made, applications still short, with why)."""
    require(user, "scoring.manage_scoring", batch, "只有省科技厅可以分配评审专家。")
    experts = list(
        User.objects.filter(role=Role.EXPERT, is_active=True).select_related("expert_profile").order_by("pk")
    )
    declarations: dict[int, list] = {e.pk: [] for e in experts}
    for declaration in ConflictDeclaration.objects.filter(expert__in=experts):
        declarations[declaration.expert_id].append(declaration)
    applications = list(
        Application.objects.filter(batch=batch, state__in=EXPERT_ASSIGNABLE)
        .select_related("space__organisation", "basic_info", "recommending_unit")
        .order_by("province_rank", "pk")
    )
    existing = Assignment.objects.filter(application__batch=batch).values_list("application_id", "expert_id")
    assigned: dict[int, set[int]] = {}
    load = {e.pk: 0 for e in experts}
    for application_id, expert_id in existing:
        assigned.setdefault(application_id, set()).add(expert_id)
        if expert_id in load:
            load[expert_id] += 1
    made, short = 0, []
    for application in applications:
        have = assigned.setdefault(application.pk, set())
        needed = per_application - len(have)
        if needed <= 0:
            continue
        candidates = [
            e
            for e in experts
            if e.pk not in have
            and not conflicts_between(e, getattr(e, "expert_profile", None), declarations[e.pk], application)
        ]
        candidates.sort(key=lambda e: (load[e.pk], e.pk))
        for expert in candidates[:needed]:
            assignment_create(
                user=user, application=application, expert=expert, method=Assignment.Method.AUTO
            )
            have.add(expert.pk)
            load[expert.pk] += 1
            made += 1
        if len(have) < per_application:
            short.append(
                f"{application.number}（{application.space.name}）只有{len(have)}位无利益冲突的专家可分配，"
                f"需{per_application}位"
            )
    return made, short


def assignment_remove(*, user, assignment: Assignment) -> None:
    """The province takes back an assignment the expert has not scored yet."""
    require(user, "scoring.manage_scoring", assignment, "只有省科技厅可以调整评审专家。")
    if assignment.is_submitted:
        raise StateConflict("该专家已提交评分，分配不能撤销。")
    with transaction.atomic():
        audit_record(
            action="scoring.unassign",
            actor=user,
            target=assignment,
            application=assignment.application,
            summary=f"撤销评审专家 {assignment.expert}",
        )
        assignment.delete()


# Scoring ---------------------------------------------------------------------------------------


def _clean_scores(scores: dict[str, object]) -> dict[str, int]:
    codes = {item.code for item in sheet.ITEMS}
    clean, errors = {}, {}
    for code, value in scores.items():
        if code not in codes:
            raise ValidationError(f"没有评分项 {code}。")
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[code] = "请填写0至10的整数。"
            continue
        if not 0 <= number <= sheet.MAX_ITEM_SCORE:
            errors[code] = "请填写0至10的整数。"
        else:
            clean[code] = number
    if errors:
        raise ValidationError(errors)
    return clean


def _ensure_own_open(user, assignment: Assignment) -> None:
    if assignment.expert_id != user.pk:
        raise PermissionDenied("只能填写本人的评分表。")
    if assignment.is_submitted:
        raise StateConflict("评分表已提交，不能再修改。")


def scores_save(*, user, assignment: Assignment, scores: dict[str, object], comment: str = "") -> Assignment:
    _ensure_own_open(user, assignment)
    clean = _clean_scores(scores)
    with transaction.atomic():
        assignment.scores = clean
        assignment.comment = comment.strip()
        assignment.saved_at = timezone.now()
        assignment.save(update_fields=["scores", "comment", "saved_at"])
        audit_record(
            action="scoring.save",
            actor=user,
            target=assignment,
            application=assignment.application,
            summary=f"保存评分（{len(clean)}/{len(sheet.ITEMS)}项）",
        )
    return assignment


def scores_submit(*, user, assignment: Assignment) -> Assignment:
    """Submit the sheet: every item scored and a comment written; the total is computed with the
    batch's weights as they stand and both are frozen."""
    _ensure_own_open(user, assignment)
    missing = sheet.missing_items(assignment.scores)
    if missing:
        raise ValidationError(f"还有{len(missing)}项未评分：{'、'.join(missing)}。")
    if not assignment.comment.strip():
        raise ValidationError({"comment": "请填写评审意见。"})
    weights = sheet.weights_dict(weights_for(assignment.application.batch))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.is_submitted:
            raise StateConflict("评分表已提交，不能再修改。")
        assignment.weights = weights
        assignment.total = sheet.weighted_total(assignment.scores, weights)
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["weights", "total", "submitted_at"])
        audit_record(
            action="scoring.submit",
            actor=user,
            target=assignment,
            application=assignment.application,
            summary=f"提交评分：加权总分{assignment.total}",
            payload={"scores": assignment.scores, "weights": weights},
        )
    return assignment
