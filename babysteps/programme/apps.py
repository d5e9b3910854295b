from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "babysteps.programme"
    label = "programme"
    verbose_name = "Programme curriculum"
