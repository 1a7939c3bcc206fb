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
