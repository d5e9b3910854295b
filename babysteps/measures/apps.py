from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "babysteps.measures"
    label = "measures"
    verbose_name = "Questionnaires and scoring"

    def ready(self) -> None:
        from babysteps.measures import panels  # noqa: F401 - registers the family panel
