"""Writes of the security app: two-factor devices and account e-mail, each with its audit row."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from makerspace.accounts.models import User
from makerspace.audit.services import audit_record


def totp_device_pending(*, user: User, device_id: int | None) -> TOTPDevice:
    """The unconfirmed device this session is setting up, created when it has none. A device set
    up in another session is never handed out: its secret belongs to whoever started it."""
    device = None
    if device_id is not None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """The code was right: the device becomes the user's only confirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(action="security.otp_enable", actor=user, target=user, summary="启用两步验证")
    return device


def totp_devices_remove(*, user: User) -> int:
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(action="security.otp_disable", actor=user, target=user, summary="停用两步验证")
    return count


def user_change_email(*, user: User, email: str) -> None:
    old = user.email
    user.email = email
    user.full_clean(validate_unique=False, exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=["email"])
        audit_record(
            action="security.email_change",
            actor=user,
            target=user,
            summary="修改账号 Email",
            payload={"from": old, "to": email},
        )


# E-mail change and password change: the new address proves itself, the old one is told -------

EMAIL_CHANGE_SALT = "makerspace.security.email_change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600


def _mail(to: str, subject: str, body: str) -> None:
    """Recorded in the outbox with the caller's change; sent once that has committed."""
    from makerspace.core.outbox import outbox_enqueue
    from makerspace.core.tasks import send_email

    if to:
        with transaction.atomic():
            outbox_enqueue(send_email, subject, body, [to])


def email_change_request(*, user: User, email: str) -> str:
    """Mail a signed link to the new address (the change happens only when it is opened by the
    same user) and tell the old address that a change was asked for. Returns the token."""
    from django.conf import settings
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps({"u": user.pk, "e": email, "o": user.email}, salt=EMAIL_CHANGE_SALT)
    link = settings.SITE_URL + reverse("security:email_confirm", args=[token])
    with transaction.atomic():
        audit_record(
            action="security.email_change_request",
            actor=user,
            target=user,
            summary="申请修改账号 Email",
            payload={"to": email},
        )
        _mail(
            email,
            "请确认新的 Email",
            f"{user}：\n\n请在24小时内登录后打开以下链接，确认把账号 Email 改为本地址：\n{link}\n\n"
            "如非本人操作，请忽略本邮件。",
        )
        _mail(
            user.email,
            "您的账号申请修改 Email",
            f"{user}：\n\n有人登录您的账号，申请把 Email 改为 {email}。新地址确认前不会生效。\n"
            "如非本人操作，请立即修改密码并联系系统管理员。",
        )
    return token


def email_change_confirm(*, user: User, token: str) -> str:
    """Apply a change asked for by this user with the current e-mail still in place. Raises
    ValidationError with a Chinese message when the link is wrong, old or already used."""
    from django.core import signing
    from django.core.exceptions import ValidationError

    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError("确认链接无效或已超过24小时，请重新申请修改 Email。") from None
    if data.get("u") != user.pk or (user.email or "") != data.get("o", ""):
        raise ValidationError("该确认链接不属于当前账号，或已经使用过。")
    if User.objects.filter(email__iexact=data["e"]).exclude(pk=user.pk).exists():
        raise ValidationError("该 Email 已被其他账号使用，请换一个。")
    old = user.email
    with transaction.atomic():
        user_change_email(user=user, email=data["e"])
        _mail(
            old,
            "您的账号 Email 已修改",
            f"{user}：\n\n您的账号 Email 已改为 {data['e']}。如非本人操作，请立即联系系统管理员。",
        )
    return data["e"]


def password_changed_notify(*, user: User) -> None:
    """A password change or reset is told to the account's address, and audited."""
    with transaction.atomic():
        audit_record(action="security.password_change", actor=user, target=user, summary="修改密码")
        _mail(
            user.email,
            "您的账号密码已修改",
            f"{user}：\n\n您的账号密码刚刚已修改。如非本人操作，请立即通过“找回密码”重设并联系系统管理员。",
        )
