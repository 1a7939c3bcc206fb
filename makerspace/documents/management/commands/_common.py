from django.core.management.base import CommandError

from makerspace.accounts.models import User


def user_named(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有用户名为“{username}”的有效账号。")
    return user
