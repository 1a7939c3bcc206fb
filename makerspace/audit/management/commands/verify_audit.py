from django.core.management.base import BaseCommand, CommandError

from makerspace.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：报告第一处被修改或删除的记录。"

    def handle(self, *args, **options):
        checked, problem = audit_verify()
        if problem:
            raise CommandError(f"审计日志校验失败：{problem}（已校验{checked}条）")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共{checked}条记录，哈希链无断裂。"))
