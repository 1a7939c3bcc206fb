"""S3 storage as shipped: the settings module alone, read from the environment, gives django-storages
the bucket, endpoint, region, keys and addressing style; an upload and a generated package are
written to the bucket and read back from it (moto stands in for the S3 server)."""

import io
import runpy
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto import mock_aws

from makerspace.applications import services as application_services
from makerspace.applications.models import Attachment
from makerspace.core.demo import blank_pdf
from makerspace.documents import services as document_services
from makerspace.documents.models import DocumentJob
from makerspace.documents.views import package_key

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"
ENDPOINT = "http://s3.filing.test:9000"


def _settings_from(monkeypatch, **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", ENDPOINT)
    loaded = _settings_from(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="filing-media",
        AWS_S3_ENDPOINT_URL=ENDPOINT,
        AWS_S3_REGION_NAME="cn-north-1",
        AWS_S3_ACCESS_KEY_ID="filing-key",
        AWS_S3_SECRET_ACCESS_KEY="filing-secret",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    with mock_aws():
        client = boto3.client(
            "s3",
            endpoint_url=ENDPOINT,
            region_name="cn-north-1",
            aws_access_key_id="filing-key",
            aws_secret_access_key="filing-secret",
        )
        client.create_bucket(
            Bucket="filing-media", CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
        )
        with override_settings(STORAGES=loaded["STORAGES"]):
            yield client


def test_s3_settings_reach_django_storages(monkeypatch):
    loaded = _settings_from(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="filing-media",
        AWS_S3_ENDPOINT_URL=ENDPOINT,
        AWS_S3_REGION_NAME="cn-north-1",
        AWS_S3_ACCESS_KEY_ID="filing-key",
        AWS_S3_SECRET_ACCESS_KEY="filing-secret",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    default = loaded["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "filing-media"
    assert options["endpoint_url"] == ENDPOINT
    assert options["region_name"] == "cn-north-1"
    assert (options["access_key"], options["secret_key"]) == ("filing-key", "filing-secret")
    assert options["addressing_style"] == "path"
    assert options["file_overwrite"] is False and options["default_acl"] is None


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    loaded = runpy.run_path(str(SETTINGS))
    assert loaded["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_upload_and_generated_package_round_trip_through_s3(
    s3, world, settings, django_capture_on_commit_callbacks
):
    raw = blank_pdf("场地证明")
    application = world.complete_draft()
    attachment = application_services.attachment_add_by_applicant(
        user=world.applicant,
        application=application,
        kind=Attachment.Kind.EVIDENCE,
        title="场地证明",
        upload=SimpleUploadedFile("证明.pdf", raw, content_type="application/pdf"),
    )
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    stored = s3.get_object(Bucket="filing-media", Key=attachment.file.name)["Body"].read()
    assert stored == raw
    # nothing of it went to the local media folder
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

    application.refresh_from_db()
    application_services.commitment_sign(user=world.applicant, application=application, signatory="王法人")
    application_services.application_submit(user=world.applicant, application=application)
    application.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.job_request(
            user=world.applicant,
            kind=DocumentJob.JobKind.PACKAGE,
            input_sha256=package_key(application, None),
            application=application,
            version_number=None,
        )
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.message
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="filing-media")["Contents"]]
    assert job.file.name in keys
    with job.file.open("rb") as handle:
        body = handle.read()
    assert body[:5] == b"%PDF-" and len(body) == job.size
    from pypdf import PdfReader

    texts = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    assert application.number in texts
