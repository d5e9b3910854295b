from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "babysteps.national"
    verbose_name = "National dashboard"
