from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "babysteps.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts and enrolment"
