from django.apps import AppConfig


class FiledConfig(AppConfig):
    name = "makerspace.filed"
    label = "filed"
    verbose_name = "备案众创空间"
