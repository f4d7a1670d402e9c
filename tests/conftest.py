import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads and generated images to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from directory.generation_watch import forget_local_copies

    cache.clear()
    forget_local_copies()
    yield
    cache.clear()
    forget_local_copies()


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to /en/ leaves English active in the test thread; start each test in Chinese."""
    from django.utils import translation

    yield
    translation.deactivate()
