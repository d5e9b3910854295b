from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "babysteps.national"
    verbose_name = "National dashboard"

    def ready(self) -> None:
        from babysteps.national import periodic  # noqa: F401 - registers the refresh
