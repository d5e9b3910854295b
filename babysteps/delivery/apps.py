from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "babysteps.delivery"
    label = "delivery"
    verbose_name = "Delivery: contacts, registers and the remote-delivery switch"

    def ready(self) -> None:
        # Panels and periodic jobs register themselves on import.
        from babysteps.delivery import panels, periodic  # noqa: F401
