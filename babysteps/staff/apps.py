from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "babysteps.staff"
    label = "staff"
    verbose_name = "Site staff"
