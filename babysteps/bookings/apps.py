from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "babysteps.bookings"
    label = "bookings"
    verbose_name = "Call booking and reminders"

    def ready(self) -> None:
        # Panels and periodic jobs register themselves on import.
        from babysteps.bookings import panels, periodic  # noqa: F401
