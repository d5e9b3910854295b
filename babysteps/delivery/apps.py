from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "babysteps.delivery"
    label = "delivery"
    verbose_name = "Delivery: contacts, registers and the remote-delivery switch"

    def ready(self) -> None:
        # Panels and periodic jobs register themselves on import.
        from babysteps.cohorts.hooks import on_schedule_planned
        from babysteps.delivery import panels, periodic, summaries  # noqa: F401
        from babysteps.delivery.services import follow_switches_when_planned

        # A cohort planned during a pause follows it at once (its sessions become calls).
        on_schedule_planned(follow_switches_when_planned)
        # What each parent has attended is kept up to date on every change.
        summaries.connect()
