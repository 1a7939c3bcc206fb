from django.db import transaction

from makerspace.audit.services import audit_record
from makerspace.credit.services import registration_credit_warn

from .models import Organisation, Role, User

REGISTRATION_HOURS = 24


def registration_request(*, form) -> None:
    """A valid RegistrationForm asks for an account. Whatever the credit code's standing, the
    answer on the screen is the same and one mail goes to the address that was typed: a link that
    confirms the registration when the code is free, or the reason it cannot be registered. A code
    that an import created without an account also re-sends its invitation, to the address the
    organisation was registered with, never to the one typed. The password is hashed on every
    path, so the answer takes as long whatever the code."""
    import secrets
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import timezone

    from makerspace.core.outbox import outbox_enqueue
    from makerspace.core.tasks import send_email

    from .models import PendingRegistration

    data = form.cleaned_data
    email = data["email"]
    password_hash = make_password(data["password1"])
    existing = Organisation.objects.filter(credit_code=data["credit_code"]).first()
    subject = "【专业化众创空间备案推荐系统】注册确认"
    with transaction.atomic():
        if existing is None:
            token = secrets.token_urlsafe(32)
            PendingRegistration.objects.create(
                email=email,
                token_hash=_token_hash(token),
                data={
                    "organisation_name": data["organisation_name"].strip(),
                    "credit_code": data["credit_code"],
                    "nature": data["nature"],
                    "recommending_unit": data["recommending_unit"].pk,
                    "legal_representative": data["legal_representative"].strip(),
                    "full_name": data["full_name"].strip(),
                    "mobile": data["mobile"],
                    "username": data["username"],
                },
                password_hash=password_hash,
                expires_at=timezone.now() + timedelta(hours=REGISTRATION_HOURS),
            )
            link = settings.SITE_URL.rstrip("/") + reverse("accounts:register_confirm", args=[token])
            body = (
                f"{data['full_name'].strip()}：\n\n"
                f"您在专业化众创空间备案推荐系统中为“{data['organisation_name'].strip()}”申请注册账号"
                f"（登录名 {data['username']}）。请在{REGISTRATION_HOURS}小时内打开以下链接确认注册：\n\n"
                f"{link}\n\n如非本人操作，请忽略本邮件，账号不会开通。"
            )
        elif existing.email and not existing.users.exists():
            invitation_send(organisation=existing, role=existing.kind)
            body = (
                f"您在专业化众创空间备案推荐系统中为统一社会信用代码 {existing.credit_code} 申请注册账号。"
                f"该单位已由推荐单位或省科技厅导入系统，尚未开通账号：开通邀请已发送至该单位登记的 Email"
                f"（{_masked(existing.email)}），请通过该邮件中的链接设置账号。\n\n如非本人操作，请忽略本邮件。"
            )
        else:
            body = (
                f"您在专业化众创空间备案推荐系统中为统一社会信用代码 {existing.credit_code} 申请注册账号。"
                "该统一社会信用代码已注册。如需新增账号，请联系本单位已有账号的管理人员。\n\n"
                "如非本人操作，请忽略本邮件。"
            )
        outbox_enqueue(send_email, subject, body, [email])


def registration_for_token(token: str):
    """The unconfirmed, unexpired registration the token belongs to, or None."""
    from django.utils import timezone

    from .models import PendingRegistration

    return PendingRegistration.objects.filter(
        token_hash=_token_hash(token), confirmed_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def registration_confirm(*, pending) -> User:
    """Create the applicant organisation and its first user of a confirmed registration, once. A
    code or login name taken since the form was sent is refused with the reason."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from .models import PendingRegistration, RecommendingUnit

    with transaction.atomic():
        locked = PendingRegistration.objects.select_for_update().get(pk=pending.pk)
        if locked.confirmed_at is not None or locked.expires_at <= timezone.now():
            raise ValidationError("该确认链接已使用或已过期，请重新注册。")
        data = locked.data
        if Organisation.objects.filter(credit_code=data["credit_code"]).exists():
            raise ValidationError(
                "该统一社会信用代码已在您确认之前注册。如需新增账号，请联系本单位已有账号的管理人员。"
            )
        if User.objects.filter(username__iexact=data["username"]).exists():
            raise ValidationError("该登录名已在您确认之前被使用，请重新注册并换一个登录名。")
        organisation = Organisation(
            name=data["organisation_name"],
            credit_code=data["credit_code"],
            kind=Role.APPLICANT,
            nature=data["nature"],
            legal_representative=data["legal_representative"],
            email=locked.email,
            recommending_unit=RecommendingUnit.objects.get(pk=data["recommending_unit"]),
        )
        organisation.full_clean()
        organisation.save()
        user = User(
            username=data["username"],
            password=locked.password_hash,
            role=Role.APPLICANT,
            organisation=organisation,
            full_name=data["full_name"],
            mobile=data["mobile"],
            email=locked.email,
        )
        user.save()
        locked.confirmed_at = timezone.now()
        locked.user = user
        locked.save(update_fields=["confirmed_at", "user"])
        audit_record(
            action="organisation.register",
            actor=user,
            target=organisation,
            summary=f"注册单位 {organisation.name}（{organisation.credit_code}）",
        )
        # R8 at registration warns rather than refuses: the new user is told of any record in force.
        registration_credit_warn(user=user, organisation=organisation)
    return user


# Invitations: the first user of an organisation that exists without one ---------------------

INVITATION_DAYS = 14


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def invitation_send(*, organisation: Organisation, role: str, email: str = "", by=None) -> tuple:
    """Mail a one-time link with which the organisation's first user sets up an account.

    The link goes to `email`, or to the address the organisation was registered with; returns
    (invitation, token), or (None, "") when there is no address to send it to. Nobody can take
    over an organisation by typing its credit code: only the registered address receives it."""
    import secrets
    from datetime import timedelta

    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from .models import Invitation

    email = email or organisation.email
    if not email:
        return None, ""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=_token_hash(token),
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit_record(
            action="organisation.invite",
            actor=by,
            target=organisation,
            summary=f"向 {_masked(email)} 发送 {organisation.name} 的账号开通邀请",
        )
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])
        body = (
            f"{organisation.name}：\n\n"
            f"贵单位已在专业化众创空间备案推荐系统中登记（{Role(role).label}），尚未开通账号。"
            f"请在{INVITATION_DAYS}天内打开以下链接，设置登录名和密码：\n\n{link}\n\n"
            "如非贵单位事务，请忽略本邮件。"
        )
        from makerspace.core.outbox import outbox_enqueue
        from makerspace.core.tasks import send_email

        outbox_enqueue(send_email, "【专业化众创空间备案推荐系统】账号开通邀请", body, [email])
    return invitation, token


def invitation_for_token(token: str):
    """The open invitation the token belongs to, or None (unknown, used or expired)."""
    from django.utils import timezone

    from .models import Invitation

    return (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=_token_hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def invitation_accept(*, invitation, form) -> User:
    """Create the organisation's first user from a valid InvitationForm, once."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from .models import Invitation

    data = form.cleaned_data
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None or locked.expires_at <= timezone.now():
            raise ValidationError("该邀请链接已使用或已过期，请联系邀请单位重新发送。")
        user = form.save(commit=False)
        user.role = locked.role
        user.organisation = locked.organisation
        user.full_name = data["full_name"].strip()
        user.mobile = data["mobile"]
        user.email = locked.email
        user.save()
        locked.accepted_at = timezone.now()
        locked.user = user
        locked.save(update_fields=["accepted_at", "user"])
        # Every other open invitation of the organisation is spent too: it has its first user now.
        Invitation.objects.filter(organisation=locked.organisation, accepted_at__isnull=True).update(
            expires_at=timezone.now()
        )
        audit_record(
            action="organisation.invitation_accept",
            actor=user,
            target=locked.organisation,
            summary=f"通过邀请开通 {locked.organisation.name} 的账号 {user.username}",
        )
    return user


# 主管部门 not yet in the system ----------------------------------------------------------------


def _notify(users, *, title: str, body: str, link: str, application=None) -> None:
    from makerspace.notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(
            recipient=u,
            kind="supervisor_request",
            title=title[:200],
            body=body,
            link=link,
            application=application,
        )
        for u in users
    )


def supervisor_request_create(*, user, application, name: str, contact_email: str = ""):
    """The applicant names a 主管部门 the list lacks; its recommending unit is asked to add it."""
    from django.urls import reverse

    from .models import SupervisorRequest

    request = SupervisorRequest.objects.create(
        recommending_unit=application.recommending_unit,
        name=name.strip(),
        contact_email=contact_email,
        application=application,
        requested_by=user,
    )
    audit_record(
        action="supervisor_request.create",
        actor=user,
        target=request,
        application=application,
        summary=f"申请添加主管部门“{request.name}”（{application.recommending_unit.short_name}）",
    )
    _notify(
        User.objects.filter(
            is_active=True,
            role=Role.RECOMMENDER,
            organisation__recommending_unit=application.recommending_unit,
        ),
        title=f"请添加主管部门：{request.name}",
        body=(
            f"申报 {application.number}（{application.space.name}）的主管部门“{request.name}”尚未在系统中，"
            "请核实后添加，或对应到已有的主管部门。"
        ),
        link=reverse("accounts:supervisor_requests"),
        application=application,
    )
    return request


def _resolve(*, user, request, status: str, supervisor=None, note: str = "") -> None:
    from django.core.exceptions import ValidationError
    from django.urls import reverse
    from django.utils import timezone

    from makerspace.applications.models import Application
    from makerspace.permissions import require

    from .models import SupervisorRequest

    require(
        user, "accounts.resolve_supervisor_request", request, message="只有该推荐单位或系统管理员可以处理。"
    )
    locked = SupervisorRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != SupervisorRequest.Status.PENDING:
        raise ValidationError("该申请已处理过。")
    locked.status = status
    locked.supervisor = supervisor
    locked.note = note
    locked.resolved_by = user
    locked.resolved_at = timezone.now()
    locked.save()
    application = locked.application
    if supervisor is not None and application.supervisor_id is None:
        # Set on the application directly: the 主管部门 is reference data the applicant asked for,
        # and the application is still a draft of its own (nothing of the chain is skipped).
        Application.objects.filter(pk=application.pk, supervisor__isnull=True).update(supervisor=supervisor)
    labels = {
        SupervisorRequest.Status.ADDED: f"已添加主管部门“{supervisor.name if supervisor else ''}”",
        SupervisorRequest.Status.MATCHED: f"已对应到主管部门“{supervisor.name if supervisor else ''}”",
        SupervisorRequest.Status.REJECTED: f"未予添加主管部门“{locked.name}”",
    }
    audit_record(
        action=f"supervisor_request.{status}",
        actor=user,
        target=locked,
        application=application,
        summary=labels[status] + (f"：{note}" if note else ""),
    )
    _notify(
        User.objects.filter(is_active=True, organisation_id=application.space.organisation_id),
        title=f"{application.number}：{labels[status]}",
        body=labels[status]
        + (f"。说明：{note}" if note else "。")
        + ("请在申报设置中重新选择主管部门。" if status == SupervisorRequest.Status.REJECTED else ""),
        link=reverse("applications:detail", args=[application.pk]),
        application=application,
    )


def supervisor_request_add(*, user, request, name: str, credit_code: str, email: str = ""):
    """Add the named 主管部门 as an organisation of the request's unit, give it to the application,
    and invite its first user."""
    from .credit_code import normalise

    with transaction.atomic():
        organisation = Organisation(
            name=name.strip(),
            credit_code=normalise(credit_code),
            kind=Role.SUPERVISOR,
            email=email or request.contact_email,
            recommending_unit=request.recommending_unit,
        )
        organisation.full_clean()
        organisation.save()
        _resolve(user=user, request=request, status="added", supervisor=organisation)
        invitation_send(organisation=organisation, role=Role.SUPERVISOR, by=user)
    return organisation


def supervisor_request_match(*, user, request, supervisor: Organisation, note: str = "") -> None:
    from django.core.exceptions import ValidationError

    if supervisor.kind != Role.SUPERVISOR or supervisor.recommending_unit_id not in (
        None,
        request.recommending_unit_id,
    ):
        raise ValidationError({"supervisor": "请选择本设区市或高新区的主管部门。"})
    with transaction.atomic():
        _resolve(user=user, request=request, status="matched", supervisor=supervisor, note=note)


def supervisor_request_reject(*, user, request, note: str) -> None:
    from django.core.exceptions import ValidationError

    if not note.strip():
        raise ValidationError({"note": "请写明未予添加的理由。"})
    with transaction.atomic():
        _resolve(user=user, request=request, status="rejected", note=note.strip())


def recommending_unit_order_follow(*, unit) -> int:
    """After a unit's sort_order is saved: its applications' copy of it (Application.unit_sort_order,
    the batch pages' order and index) follows, in one UPDATE. Returns the rows changed."""
    from makerspace.applications.models import Application

    return (
        Application.objects.filter(recommending_unit=unit)
        .exclude(unit_sort_order=unit.sort_order)
        .update(unit_sort_order=unit.sort_order)
    )
