from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from makerspace.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "校验备份清单后，将备份恢复到新建的空数据库与空文件存储，并校验审计链。"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="backup 命令生成的备份目录")

    def handle(self, *args, input, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = restore(Path(input))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{result['rows']} 行数据，{result['files']} 个文件，"
                f"审计链 {result['audit_rows']} 条记录校验通过。"
            )
        )
