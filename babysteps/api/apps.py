from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "babysteps.api"
    label = "api"

    def ready(self) -> None:
        from babysteps.accounts.signals import access_reduced
        from babysteps.api.services import on_access_reduced

        access_reduced.connect(on_access_reduced, dispatch_uid="api.revoke_tokens")
