from django.core.management.base import BaseCommand

from makerspace.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "载入演示数据：2018年批次、演示批次、推荐单位、各角色演示账号和不同状态的申报（可重复运行）。"

    def handle(self, *args, **options):
        accounts = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, role, organisation in accounts:
            self.stdout.write(f"  {username:<12} {role:<16} {organisation}")
