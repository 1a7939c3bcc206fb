"""Backup and restore of the whole system: every row of every app as JSON (exact to the
microsecond, so the audit chain's hashes still verify) and every stored file, with a manifest of
SHA-256 hashes that restore checks before it writes anything."""

import hashlib
import json
from datetime import datetime
from itertools import chain
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

FORMAT = 1
DATABASE_FILE = "database.json"
MANIFEST_FILE = "manifest.json"
FILES_DIR = "files"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions: everyone
# signs in again after a restore).
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; the audit chain hashes microseconds."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list:
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model
        for model in ordered
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stored_names(storage, folder: str = "") -> list[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for directory in directories:
        names += _stored_names(storage, f"{folder}/{directory}" if folder else directory)
    return sorted(names)


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"清单中的文件名不安全：{name}")
    return str(path)


def backup(output: Path, storage=default_storage) -> dict:
    """Write database.json, files/ and manifest.json into the empty folder `output`."""
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"备份目录 {output} 不是空的。")
    models = backed_up_models()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One snapshot for every table, while others keep working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = {model._meta.label_lower: model._base_manager.count() for model in models}
        with (output / DATABASE_FILE).open("w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                chain.from_iterable(m._base_manager.order_by("pk").iterator(chunk_size=2000) for m in models),
                stream=stream,
                cls=ExactJSONEncoder,
                use_natural_foreign_keys=True,
            )
        files = []
        for name in _stored_names(storage):
            target = output / FILES_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                for block in iter(lambda: source.read(1 << 20), b""):
                    copy.write(block)
            files.append({"name": name, "size": target.stat().st_size, "sha256": _sha256(target)})
    from makerspace.audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now().astimezone().isoformat(),
        "database_vendor": connection.vendor,
        "database": {"file": DATABASE_FILE, "sha256": _sha256(output / DATABASE_FILE), "counts": counts},
        "files": files,
        "audit": {"rows": head.last_sequence if head else 0, "last_hash": head.last_hash if head else ""},
    }
    (output / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def verify(source: Path) -> dict:
    """Check every file of a backup against its manifest; return the manifest."""
    manifest_path = source / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(f"{source} 中没有 {MANIFEST_FILE}，不是本系统的备份。")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持。")
    database = source / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError("数据库文件缺失或与清单中的哈希不符，备份已损坏。")
    for entry in manifest["files"]:
        path = source / FILES_DIR / _safe_name(entry["name"])
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"文件 {entry['name']} 缺失或与清单中的哈希不符，备份已损坏。")
    return manifest


def restore(source: Path, storage=default_storage) -> dict:
    """Verify the backup, then load it into an empty, migrated database and storage."""
    from django.core.management import call_command

    from makerspace.audit.services import audit_verify

    manifest = verify(source)
    occupied = [label for label, count in row_counts().items() if count]
    if occupied:
        raise BackupError(f"目标数据库不是空的（{', '.join(occupied[:5])} 已有数据），请恢复到新建的数据库。")
    existing = _stored_names(storage)
    if existing:
        raise BackupError(f"目标文件存储不是空的（已有 {len(existing)} 个文件）。")
    call_command("loaddata", str(source / manifest["database"]["file"]), verbosity=0)
    counts = row_counts()
    if counts != manifest["database"]["counts"]:
        differing = sorted(k for k in counts if counts[k] != manifest["database"]["counts"].get(k))
        raise BackupError(f"恢复后的行数与清单不符：{', '.join(differing)}")
    for entry in manifest["files"]:
        name = _safe_name(entry["name"])
        with (source / FILES_DIR / name).open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"文件 {name} 未能按原名恢复（存为 {saved}）。")
    checked, broken = audit_verify()
    if broken:
        raise BackupError(f"恢复后审计链校验失败：{broken}")
    return {"rows": sum(counts.values()), "files": len(manifest["files"]), "audit_rows": checked}
