from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "babysteps.imports"
    verbose_name = "Imports of families"
