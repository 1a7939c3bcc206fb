"""Data for the multi-server journey (scripts/multiserver.sh), written through the real services:
a batch, its parties, a complete unsigned draft of the applicant, a TOTP device of the supervisor
with a known key, and the S3 bucket. Prints what the journey needs as JSON."""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import boto3  # noqa: E402
from django.conf import settings  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from makerspace.core.demo import DEMO_PASSWORD  # noqa: E402
from makerspace.core.tests.factories import World  # noqa: E402

options = settings.STORAGES["default"]["OPTIONS"]
s3 = boto3.client(
    "s3",
    endpoint_url=options["endpoint_url"],
    region_name=options["region_name"],
    aws_access_key_id=options["access_key"],
    aws_secret_access_key=options["secret_key"],
)
s3.create_bucket(Bucket=options["bucket_name"])

world = World()
application = world.complete_draft()
key = secrets.token_hex(20)
TOTPDevice.objects.create(user=world.supervisor, name="journey", key=key, confirmed=True)
print(
    json.dumps(
        {
            "application": application.pk,
            "number": application.number,
            "applicant": world.applicant.username,
            "supervisor": world.supervisor.username,
            "password": DEMO_PASSWORD,
            "supervisor_totp_key": key,
            "bucket": options["bucket_name"],
        }
    )
)
