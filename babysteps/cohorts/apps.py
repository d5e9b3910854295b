from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "babysteps.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts and enrolment"

    def ready(self) -> None:
        # The family page's cohort places section registers itself on import.
        from babysteps.cohorts import panels  # noqa: F401
