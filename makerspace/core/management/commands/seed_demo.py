from django.core.management.base import BaseCommand

from makerspace.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "载入演示数据：2018年批次、演示批次、推荐单位、各角色演示账号和不同状态的申报（可重复运行）。"

    def handle(self, *args, **options):
        accounts = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, role, organisation in accounts:
            self.stdout.write(f"  {username:<12} {role:<16} {organisation}")
        from makerspace.security.demo import DEMO_TOTP_SECRET, ensure_demo_devices

        if ensure_demo_devices(username for username, _, _ in accounts):
            self.stdout.write(
                "审核与管理角色须两步验证：在身份验证器 App 中添加密钥 "
                f"{DEMO_TOTP_SECRET}（TOTP，30秒，6位），"
                "或运行 `python manage.py totp_code <账号>` 查看当前验证码。"
            )
