from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "babysteps.accounts"
    label = "accounts"
    verbose_name = "Staff and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from babysteps.accounts import tracking
        from babysteps.accounts.sessions import mark_signed_in

        tracking.connect()
        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts.session_clocks")


class BabyStepsAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the NSPCC-admins-only site."""

    default = False
    default_site = "babysteps.accounts.admin_site.BabyStepsAdminSite"
