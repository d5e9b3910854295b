from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "babysteps.audit"
    label = "audit"
    verbose_name = "Audit trail"
