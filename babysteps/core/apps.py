from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "babysteps.core"
    label = "core"
    verbose_name = "Core"


class BabyStepsAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the NSPCC-admins-only site."""

    default = False
    default_site = "babysteps.core.admin_site.BabyStepsAdminSite"
