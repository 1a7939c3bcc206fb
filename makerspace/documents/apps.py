from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "makerspace.documents"
    label = "documents"
