"""Signed-in sessions for the load users, written to a JSON file the locust scenario reads.

The rush measures the work people do once signed in. Signing in costs one deliberately slow
password hash (PBKDF2) per person, paid once per session; 200 simultaneous sign-ins on two cores
would measure only that, so scripts/bench.sh times sign-in on its own and the scenario starts
from sessions made here: a real session row each, with the reviewers' TOTP device verified, as
after the password and code."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from makerspace.accounts.models import User  # noqa: E402


def main(output: str) -> None:
    sessions = {}
    devices = {
        d.user_id: d for d in TOTPDevice.objects.filter(user__username__startswith="load_", confirmed=True)
    }
    for user in User.objects.filter(username__startswith="load_").exclude(username="load_admin"):
        client = Client()
        client.force_login(user)
        session = client.session
        if user.pk in devices:
            session[DEVICE_ID_SESSION_KEY] = devices[user.pk].persistent_id
            session.save()
        sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    Path(output).write_text(json.dumps(sessions))
    print(f"{len(sessions)} sessions written to {output}")


if __name__ == "__main__":
    main(sys.argv[1])
