from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "babysteps.videos"
    verbose_name = "Video library"

    def ready(self) -> None:
        from babysteps.videos import panels, periodic  # noqa: F401 - registrations
