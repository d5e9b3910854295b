from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "babysteps.accounts"
    label = "accounts"
    verbose_name = "Staff and roles"
