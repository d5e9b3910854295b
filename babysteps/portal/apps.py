from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "babysteps.portal"
    verbose_name = "Parent portal"

    def ready(self) -> None:
        from babysteps.portal import panels, periodic, signals  # noqa: F401 - registrations
