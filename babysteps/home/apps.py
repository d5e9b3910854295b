from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "babysteps.home"
    label = "home"
