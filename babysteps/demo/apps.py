from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "babysteps.demo"
    label = "demo"
