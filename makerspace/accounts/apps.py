from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "makerspace.accounts"
    label = "accounts"
