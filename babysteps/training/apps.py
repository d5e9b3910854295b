from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "babysteps.training"
    verbose_name = "Training register"
