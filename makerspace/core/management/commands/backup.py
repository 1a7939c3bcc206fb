from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from makerspace.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份全部数据与上传文件到一个空目录，并写入含 SHA-256 哈希的清单（manifest.json）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份目录（须不存在或为空）")

    def handle(self, *args, output, **options):
        try:
            manifest = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["database"]["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{rows} 行数据，{len(manifest['files'])} 个文件，写入 {output}。")
        )
