from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "entregent.accounts"
    label = "accounts"
