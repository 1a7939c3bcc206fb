from django.core.management.base import BaseCommand

from makerspace.audit.services import audit_anchor


class Command(BaseCommand):
    help = "把审计日志链尾（序号、哈希）签名后追加到数据库之外的锚点文件（AUDIT_ANCHOR_PATH）。"

    def handle(self, *args, **options):
        line = audit_anchor()
        if line is None:
            self.stdout.write("审计日志为空，未写锚点。")
            return
        self.stdout.write(self.style.SUCCESS(f"已写入签名锚点：第{line['sequence']}条，{line['hash'][:12]}…"))
