from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "babysteps.evaluation"
    label = "evaluation"
    verbose_name = "Programme evaluation"

    def ready(self) -> None:
        # The evaluator's home panel registers itself on import.
        from babysteps.evaluation import panels  # noqa: F401
