from django.apps import AppConfig


class CoreConfig(AppConfig):
    default = True
    name = "babysteps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The sweeper that recovers tasks of stopped workers registers itself on import.
        from babysteps.core import worker  # noqa: F401
