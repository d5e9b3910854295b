from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "babysteps.alerts"
    label = "alerts"
    verbose_name = "Safety alerts"

    def ready(self) -> None:
        # Registers the home and family panels and the escalation sweeper on import, and
        # raises alerts when a questionnaire is scored (measures calls the hook).
        from babysteps.alerts import panels, periodic  # noqa: F401
        from babysteps.alerts.services import alerts_close_entered_in_error, alerts_raise
        from babysteps.measures.hooks import on_scored, on_voided

        on_scored(alerts_raise)
        on_voided(alerts_close_entered_in_error)
