from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aims.accounts"
    label = "accounts"
