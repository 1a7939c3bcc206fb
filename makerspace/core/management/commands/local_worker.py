import signal
import time

from django.core.management.base import BaseCommand

from makerspace.core.outbox import outbox_dispatch_pending
from makerspace.documents.services import jobs_reap_stalled


class Command(BaseCommand):
    help = (
        "没有消息队列时的本机后台进程（make run 启动）：逐条执行待发送的邮件和文件生成任务，"
        "使其不在网页请求中运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="无待办时的等待秒数")
        parser.add_argument("--once", action="store_true", help="处理一轮后退出")

    def handle(self, *args, interval: float, once: bool, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write("本机后台进程已启动：处理邮件和文件生成任务。")
        while not stopping:
            jobs_reap_stalled()
            sent, _pending = outbox_dispatch_pending(settle_seconds=0, limit=20)
            if once:
                break
            if not sent:
                time.sleep(interval)
