from django.apps import AppConfig


class CoreConfig(AppConfig):
    default = True
    name = "babysteps.core"
    label = "core"
    verbose_name = "Core"
