from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "babysteps.families"
    label = "families"
    verbose_name = "Families"
