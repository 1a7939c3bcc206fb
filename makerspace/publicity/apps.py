from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "makerspace.publicity"
    label = "publicity"
    verbose_name = "公示与异议"
