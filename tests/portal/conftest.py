from tests.videos.fixtures import world  # noqa: F401
