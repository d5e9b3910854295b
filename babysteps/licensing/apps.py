from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "babysteps.licensing"
    label = "licensing"
    verbose_name = "Licensing and sites"

    def ready(self) -> None:
        from babysteps.licensing import periodic  # noqa: F401 - registers the renewal job
