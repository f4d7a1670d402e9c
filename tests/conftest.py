import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads and generated images to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from directory import cache as page_cache
    from directory import redis_cache
    from directory.generation_watch import forget_local_copies

    def fresh():
        # Outage memory is per process: one test's simulated outage must not leak into the next.
        redis_cache._down_until = redis_cache._last_warning = 0.0
        page_cache._bump_pending = False
        cache.clear()
        forget_local_copies()

    fresh()
    yield
    fresh()


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to /en/ leaves English active in the test thread; start each test in Chinese."""
    from django.utils import translation

    yield
    translation.deactivate()
