from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "babysteps.api"
    label = "api"
