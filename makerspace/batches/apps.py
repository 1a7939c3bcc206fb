from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "makerspace.batches"
    label = "batches"
