from tests.videos.fixtures import no_quiet_hours, world  # noqa: F401
