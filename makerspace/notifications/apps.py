from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "makerspace.notifications"
    label = "notifications"
