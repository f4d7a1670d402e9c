"""Each process's own copy of the generation and of its pages stays exact (needs Redis).

Several app servers are simulated by several GenerationWatcher objects: each subscribes on
its own connection and keeps its own view, as a separate process would.
"""

import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from directory import cache as page_cache
from directory import generation_watch
from directory.generation_watch import GenerationWatcher, LocalPages
from tests.factories import make_institution
from tests.test_redis_cache import redis_available

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_available(), reason="needs Redis at 127.0.0.1:6379"),
]

REDIS = {
    "default": {
        "BACKEND": "directory.redis_cache.ReusedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/8",
        "KEY_PREFIX": "gzc-watch-test",
    }
}


@pytest.fixture(autouse=True)
def redis_cache():
    with override_settings(CACHES=REDIS, PAGE_CACHE_LOCAL_BYTES=1024 * 1024):
        cache.clear()
        yield
        cache.clear()
        watcher = generation_watch.watcher()
        if watcher is not None:
            watcher._pid = None  # stop its thread


def wait_for(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def synced(watcher):
    return wait_for(lambda: watcher.current() is not None)


def another_process():
    watcher = GenerationWatcher(cache, page_cache.GENERATION_KEY)
    watcher.current()  # starts its subscription
    return watcher


def test_a_change_reaches_every_process():
    page_cache.current_generation()
    others = [another_process(), another_process()]
    assert all(synced(w) for w in others)
    new = page_cache.bump_generation()
    for watcher in others:
        assert wait_for(lambda w=watcher: w.current()[0] == new), "the change never arrived"
    for watcher in others:
        watcher._pid = None


def test_the_changing_process_takes_the_new_generation_at_once():
    page_cache.current_generation()
    watcher = generation_watch.watcher()
    watcher.current()
    assert synced(watcher)
    new = page_cache.bump_generation()
    assert watcher.current()[0] == new  # not waiting for its own announcement


def test_a_hit_needs_no_redis_once_subscribed(client, monkeypatch):
    url = make_institution("重庆五一技师学院").get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert synced(generation_watch.watcher())
    client.get(url)  # copied into this process

    def no_network(*args, **kwargs):
        raise AssertionError("a hit went to Redis")

    backend = caches["default"]
    monkeypatch.setattr(backend, "get", no_network)
    monkeypatch.setattr(backend, "get_many", no_network)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "重庆五一技师学院" in response.text


def test_an_edit_drops_the_local_copy(client):
    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    url = institution.get_absolute_url()
    client.get(url)
    assert synced(generation_watch.watcher())
    client.get(url)
    assert "原来的摘要" in client.get(url).text
    institution.summary = "编辑后的摘要"
    institution.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "编辑后的摘要" in response.text


def test_a_page_built_by_another_process_is_found_in_redis(client):
    url = make_institution().get_absolute_url()
    client.get(url)
    assert synced(generation_watch.watcher())
    generation_watch.local_pages().clear()  # as if another process had built it
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"


def test_without_a_subscription_every_request_reads_redis(client, monkeypatch):
    url = make_institution().get_absolute_url()
    client.get(url)
    watcher = generation_watch.watcher()
    assert synced(watcher)
    calls = []
    backend = caches["default"]
    real_get_many = backend.get_many
    monkeypatch.setattr(backend, "get_many", lambda keys: calls.append(keys) or real_get_many(keys))
    monkeypatch.setattr(watcher, "current", lambda: None)  # e.g. Redis restarting
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert calls and page_cache.GENERATION_KEY in calls[0]


def test_a_dropped_subscription_is_restored():
    page_cache.current_generation()
    watcher = another_process()
    assert synced(watcher)
    client = cache._cache.get_client(write=True)
    client.client_kill_filter(_type="pubsub")
    assert wait_for(lambda: watcher.current() is None), "the drop went unnoticed"
    assert synced(watcher), "never subscribed again"
    new = page_cache.bump_generation()
    assert wait_for(lambda: watcher.current()[0] == new)
    watcher._pid = None


def test_clearing_the_cache_is_announced():
    page_cache.current_generation()
    watcher = another_process()
    assert synced(watcher)
    cache.clear()
    assert wait_for(lambda: watcher.current() is None)  # no generation stored any more
    new = page_cache.current_generation()  # the next request sets one, and announces it
    assert wait_for(lambda: watcher.current() is not None and watcher.current()[0] == new)
    watcher._pid = None


def test_local_pages_stay_within_their_budget():
    pages = LocalPages(max_bytes=1000)
    for n in range(10):
        pages.put(f"k{n}", (1, "etag", b"x" * 300, None, 200, []))
    assert pages._bytes <= 1000
    assert "k9" in pages and "k0" not in pages
    assert pages.get("k9", 1) is not None
    assert pages.get("k9", 2) is None  # built in another generation
    pages.put("huge", (1, "etag", b"x" * 5000, None, 200, []))
    assert "huge" not in pages
