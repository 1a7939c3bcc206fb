from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "makerspace.security"
    label = "security"
    verbose_name = "安全"

    def ready(self) -> None:
        from . import signals  # noqa: F401  marks a password login as a recent authentication
