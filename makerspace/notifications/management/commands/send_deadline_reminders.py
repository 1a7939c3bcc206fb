from django.core.management.base import BaseCommand

from makerspace.notifications.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "提醒各环节有待办申报的单位：截止前7、3、1天各一次（已发送的不再重复）。"

    def handle(self, *args, **options):
        sent = send_deadline_reminders()
        self.stdout.write(f"已发送截止提醒 {len(sent)} 条。")
