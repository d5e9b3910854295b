from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "babysteps.evaluation"
    label = "evaluation"
    verbose_name = "Programme evaluation"
