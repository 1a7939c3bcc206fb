from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "makerspace.audit"
    label = "audit"
