from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "babysteps.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding: the NSPCC safe-and-well check"

    def ready(self) -> None:
        # Panels on the family and home pages, and the escalation sweeper.
        from babysteps.safeguarding import panels, periodic  # noqa: F401
