from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "makerspace.credit"
    label = "credit"
