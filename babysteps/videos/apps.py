from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "babysteps.videos"
    verbose_name = "Video library"

    def ready(self) -> None:
        from babysteps.delivery.prework import register_prework_source
        from babysteps.videos import panels, periodic  # noqa: F401 - registrations
        from babysteps.videos.selectors import family_watched_before

        # Recording a call fills in "watched the videos beforehand" from what was played.
        register_prework_source(family_watched_before)
