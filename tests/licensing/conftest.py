import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The rate limits live in the cache, which outlives a test: start each one afresh."""
    cache.clear()
    yield
    cache.clear()
