from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "makerspace.core"
    label = "core"
    verbose_name = "系统"

    def ready(self) -> None:
        from makerspace import permissions  # noqa: F401  registers the rules

        from . import checks  # noqa: F401  registers the deployment checks
