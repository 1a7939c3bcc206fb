from django.core.management.base import BaseCommand

from makerspace.core.outbox import outbox_dispatch_pending
from makerspace.documents.services import jobs_reap_stalled


class Command(BaseCommand):
    help = "把待发送的邮件和后台任务交给消息队列（消息队列恢复后），并处理中断的文件生成任务。"

    def add_arguments(self, parser):
        parser.add_argument("--settle", type=int, default=0, help="只发送早于此秒数的条目（默认全部）")

    def handle(self, *args, settle: int, **options):
        requeued, failed = jobs_reap_stalled()
        sent, pending = outbox_dispatch_pending(settle_seconds=settle)
        self.stdout.write(
            f"已发送 {sent} 条，仍待发送 {pending} 条；中断任务重新排队 {requeued} 个，判定失败 {failed} 个。"
        )
