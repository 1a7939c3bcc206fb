from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "makerspace.public"
    label = "public"
