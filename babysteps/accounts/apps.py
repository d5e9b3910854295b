from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "babysteps.accounts"
    label = "accounts"
    verbose_name = "Staff and roles"


class BabyStepsAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the NSPCC-admins-only site."""

    default = False
    default_site = "babysteps.accounts.admin_site.BabyStepsAdminSite"
