"""Two-factor devices for the demo accounts: one fixed, published secret, so that anyone trying
the demo can add it to an authenticator app (or ask `manage.py totp_code`) and sign in as a
reviewing role. Never use these accounts with real data."""

from base64 import b32encode

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from makerspace.accounts.models import User

DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's own test key: "1234567890" ×2
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def ensure_demo_devices(usernames) -> list[str]:
    """Give each named demo user of a two-factor role a confirmed device with the demo key."""
    equipped = []
    for user in User.objects.filter(username__in=list(usernames), role__in=settings.OTP_REQUIRED_ROLES):
        TOTPDevice.objects.get_or_create(
            user=user, key=DEMO_TOTP_KEY, defaults={"name": "演示验证器", "confirmed": True}
        )
        equipped.append(user.username)
    return equipped


def demo_code(username: str) -> str | None:
    """The current code of a demo account's device; None unless it uses the demo key."""
    device = TOTPDevice.objects.filter(user__username=username, key=DEMO_TOTP_KEY, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
