"""Faults: the database going away, and a failure half-way through a load."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_institution
from tests.test_redis_cache import redis_available

pytestmark = pytest.mark.django_db


def test_database_unavailable_gives_designed_503_and_recovers(monkeypatch, settings):
    settings.PAGE_CACHE_ENABLED = True
    institution = make_institution("重庆五一技师学院")
    client = Client(raise_request_exception=False)

    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        response = client.get(institution.get_absolute_url() + "?uncached=1")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "网站正在维护" in response.text and "Traceback" not in response.text
    response = client.get(institution.get_absolute_url() + "?uncached=1")
    assert response.status_code == 200
    assert "重庆五一技师学院" in response.text


# Nothing listens on port 1: every cache call is refused at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "directory.redis_cache.ReusedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_cache_unavailable_pages_are_built_afresh(caplog):
    institution = make_institution("重庆五一技师学院")
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=UNREACHABLE_REDIS):
        first = client.get(institution.get_absolute_url())
        second = client.get(institution.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert "重庆五一技师学院" in second.text
    assert second["X-Page-Cache"] == "miss"  # nothing could be kept
    assert "Cache unavailable" in caplog.text


def test_cache_unavailable_an_edit_is_still_saved(admin_client):
    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    with override_settings(CACHES=UNREACHABLE_REDIS):
        institution.summary = "编辑后的摘要"
        institution.save()  # bumps the generation: must not fail the save
        response = admin_client.get(
            reverse("admin:directory_institution_change", args=[institution.pk])
        )
    assert response.status_code == 200
    institution.refresh_from_db()
    assert institution.summary == "编辑后的摘要"


@pytest.mark.skipif(not redis_available(), reason="needs Redis at 127.0.0.1:6379")
def test_cache_back_after_an_outage_serves_from_cache_again():
    from directory import redis_cache

    working = {"default": {**UNREACHABLE_REDIS["default"], "LOCATION": "redis://127.0.0.1:6379/8"}}
    institution = make_institution("重庆五一技师学院")
    client = Client()
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert client.get(institution.get_absolute_url()).status_code == 200
        assert redis_cache._down_until > 0  # left alone for a few seconds
    redis_cache._down_until = 0.0  # … which have passed
    with override_settings(CACHES=working):
        from django.core.cache import cache

        cache.clear()
        assert client.get(institution.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(institution.get_absolute_url())["X-Page-Cache"] == "hit"


def test_expire_pages_refuses_while_the_cache_is_down_and_works_after():
    from io import StringIO

    from django.core.management import CommandError, call_command

    with override_settings(CACHES=UNREACHABLE_REDIS):
        with pytest.raises(CommandError, match="unavailable"):
            call_command("expire_pages", stdout=StringIO())
    from directory import cache as page_cache
    from directory import redis_cache

    redis_cache._down_until = 0.0
    before = page_cache.current_generation()
    out = StringIO()
    call_command("expire_pages", stdout=out)
    assert "stale" in out.getvalue()
    assert page_cache.current_generation() != before
