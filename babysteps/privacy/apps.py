from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "babysteps.privacy"
    label = "privacy"
    verbose_name = "Data protection: subject access, erasure, retention"

    def ready(self) -> None:
        # The family page's data-protection section and the daily retention job.
        from babysteps.privacy import panels, periodic  # noqa: F401
