"""Backup and restore lose nothing: every row, every file, and the audit chain still verifies."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from makerspace.applications import services
from makerspace.applications.models import ApplicationVersion, Attachment
from makerspace.audit.services import audit_verify
from makerspace.core.backup import BackupError, backup, restore, row_counts
from makerspace.core.demo import blank_pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("backup")]


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _empty_database():
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def filled(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submitted = world.submitted()
    world.advance(submitted, "forward")
    draft = world.draft()
    services.attachment_add_by_applicant(
        user=world.applicant,
        application=draft,
        kind="evidence",
        title="场地证明",
        upload=SimpleUploadedFile("证明.pdf", blank_pdf("evidence")),
    )
    TOTPDevice.objects.create(user=world.supervisor, name="x", confirmed=True)
    return world


def test_round_trip_keeps_every_row_every_file_and_the_audit_chain(filled, tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    counts_before = row_counts()
    files_before = _files(media)
    versions_before = list(ApplicationVersion.objects.order_by("pk").values("pk", "data", "data_sha256"))
    audit_rows = audit_verify()[0]
    assert counts_before["applications.application"] == 2
    assert counts_before["audit.auditevent"] == audit_rows > 5
    # the submitted one's 附件4 scan and the supervisor's 附件5 scan, the draft's evidence
    assert len(files_before) == 3

    call_command("backup", "--output", str(tmp_path / "backup"), verbosity=0)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["counts"] == counts_before
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == files_before
    assert manifest["audit"]["rows"] == audit_rows

    _empty_database()
    shutil.rmtree(media)
    assert row_counts()["applications.application"] == 0

    call_command("restore", "--input", str(tmp_path / "backup"), verbosity=0)
    assert row_counts() == counts_before
    assert _files(media) == files_before
    assert (
        list(ApplicationVersion.objects.order_by("pk").values("pk", "data", "data_sha256")) == versions_before
    )
    assert audit_verify() == (audit_rows, None)
    attachment = Attachment.objects.filter(retired_at__isnull=True).first()
    with attachment.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256

    # A second backup of the restored system is byte-for-byte the same data.
    call_command("backup", "--output", str(tmp_path / "again"), verbosity=0)
    first = (tmp_path / "backup" / "database.json").read_bytes()
    assert (tmp_path / "again" / "database.json").read_bytes() == first


def test_every_model_is_counted_except_what_migrate_rebuilds():
    labels = set(row_counts())
    assert "audit.auditevent" in labels and "otp_totp.totpdevice" in labels
    assert "accounts.user" in labels and "axes.accessattempt" in labels
    expected = {m._meta.label_lower for m in apps.get_models() if m._meta.managed and not m._meta.proxy} - {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
    }
    assert labels == expected


def test_a_tampered_file_is_refused_before_anything_is_written(filled, tmp_path, settings):
    backup(tmp_path / "b")
    victim = next((tmp_path / "b" / "files").rglob("*"))
    while victim.is_dir():
        victim = next(victim.iterdir())
    victim.write_bytes(victim.read_bytes() + b"x")
    _empty_database()
    shutil.rmtree(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match="与清单中的哈希不符"):
        call_command("restore", "--input", str(tmp_path / "b"), verbosity=0)
    assert row_counts()["accounts.user"] == 0


def test_a_tampered_database_file_is_refused(filled, tmp_path):
    backup(tmp_path / "b")
    database = tmp_path / "b" / "database.json"
    database.write_text(database.read_text().replace("测试", "篡改", 1))
    _empty_database()
    with pytest.raises(BackupError, match="数据库文件"):
        restore(tmp_path / "b")


def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    backup(tmp_path / "b")
    with pytest.raises(BackupError, match="目标数据库不是空的"):
        restore(tmp_path / "b")


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", "--output", str(tmp_path), verbosity=0)


def test_a_manifest_naming_a_path_outside_the_backup_is_refused(filled, tmp_path):
    backup(tmp_path / "b")
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"].append({"name": "../../etc/passwd", "size": 1, "sha256": "0" * 64})
    manifest_path.write_text(json.dumps(manifest))
    _empty_database()
    with pytest.raises(BackupError, match="不安全"):
        restore(tmp_path / "b")
