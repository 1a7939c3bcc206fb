from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "makerspace.applications"
    label = "applications"
