from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "babysteps.notifications"
    label = "notifications"
    verbose_name = "Messages to parents and staff"

    def ready(self) -> None:
        from babysteps.notifications import periodic  # noqa: F401 - registers the sweeper
