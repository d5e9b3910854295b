from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "babysteps.alerts"
    label = "alerts"
    verbose_name = "Safety alerts"

    def ready(self) -> None:
        # Registers the home and family panels and the escalation sweeper.
        from babysteps.alerts import panels, periodic  # noqa: F401
