from django.core.management.base import BaseCommand

from makerspace.filed.services import reminders_send


class Command(BaseCommand):
    help = "提醒尚未提交年度报告的运营主体（截止前7、3、1天，每个时点只提醒一次）。"

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"已提醒{sent}份年度报告。")
