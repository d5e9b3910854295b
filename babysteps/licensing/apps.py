from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "babysteps.licensing"
    label = "licensing"
    verbose_name = "Licensing and sites"
