from django.core.management.base import BaseCommand, CommandError

from makerspace.security.demo import demo_code


class Command(BaseCommand):
    help = "显示演示账号当前的两步验证码（仅限使用演示密钥的演示账号）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        code = demo_code(username)
        if code is None:
            raise CommandError(f"{username} 不是使用演示密钥的演示账号。")
        self.stdout.write(code)
