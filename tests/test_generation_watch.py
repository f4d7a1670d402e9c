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


_others = []


@pytest.fixture(autouse=True)
def redis_cache():
    with override_settings(CACHES=REDIS, PAGE_CACHE_LOCAL_BYTES=1024 * 1024):
        cache.clear()
        try:
            yield
        finally:
            for watcher in [generation_watch.watcher(), *_others]:
                if watcher is not None:
                    watcher.stop()
            _others.clear()
            cache.clear()


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
    watcher = GenerationWatcher(caches["default"], page_cache.GENERATION_KEY)
    watcher.current()  # starts its subscription
    _others.append(watcher)
    return watcher


def test_a_change_reaches_every_process():
    page_cache.current_generation()
    others = [another_process(), another_process()]
    assert all(synced(w) for w in others)
    new = page_cache.bump_generation()
    for watcher in others:
        assert wait_for(lambda w=watcher: w.current()[0] == new), "the change never arrived"


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
    kill_subscription(watcher)
    assert wait_for(lambda: watcher.current() is None), "the drop went unnoticed"
    assert synced(watcher), "never subscribed again"
    new = page_cache.bump_generation()
    assert wait_for(lambda: watcher.current()[0] == new)


def kill_subscription(watcher):
    """Drop this watcher's connection only (by its address), not other subscribers."""
    host, port = watcher.pubsub.connection._sock.getsockname()[:2]
    caches["default"]._cache.get_client(write=True).client_kill_filter(addr=f"{host}:{port}")


def test_after_a_redis_restart_a_new_generation_is_made(client):
    """Redis back from an old snapshot: its old generation must not revive old pages."""
    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    url = institution.get_absolute_url()
    client.get(url)
    watcher = generation_watch.watcher()
    assert synced(watcher)
    old_state = caches["default"].get(page_cache.GENERATION_KEY)
    client.get(url)  # the old page, kept in this process and in Redis
    institution.summary = "编辑后的摘要"
    institution.save()
    assert "编辑后的摘要" in client.get(url).text
    # Redis restarts (a new run id) with the generation of a snapshot taken before the edit.
    caches["default"].set(page_cache.GENERATION_KEY, old_state, None)
    watcher._redis_run = "the run before the restart"
    kill_subscription(watcher)
    assert wait_for(lambda: page_cache._bump_pending), "the restart went unnoticed"
    page_cache._last_retry = 0.0
    response = client.get(url)
    assert "编辑后的摘要" in response.text
    assert caches["default"].get(page_cache.GENERATION_KEY)[0] > old_state[0]


def test_a_change_made_while_redis_was_down_is_not_forgotten(client, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from directory import redis_cache

    institution = make_institution("重庆五一技师学院", summary="原来的摘要")
    url = institution.get_absolute_url()
    client.get(url)
    assert "原来的摘要" in client.get(url).text  # cached in Redis

    def refused(*args, **kwargs):
        raise ConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(RedisCache, "set", refused)
        institution.summary = "停机时的修改"
        institution.save()  # saved; the new generation could not be stored
    assert page_cache._bump_pending
    redis_cache._down_until = 0.0  # Redis is back
    page_cache._last_retry = 0.0
    response = client.get(url)
    assert "停机时的修改" in response.text
    assert not page_cache._bump_pending


def test_clearing_the_cache_is_announced():
    page_cache.current_generation()
    watcher = another_process()
    assert synced(watcher)
    cache.clear()
    assert wait_for(lambda: watcher.current() is None)  # no generation stored any more
    new = page_cache.current_generation()  # the next request sets one, and announces it
    assert wait_for(lambda: watcher.current() is not None and watcher.current()[0] == new)


def test_local_pages_stay_within_their_budget():
    pages = LocalPages(max_bytes=20_000)
    for n in range(10):
        pages.put(f"k{n}", (1, "etag", b"x" * 3000, None, 200, [("Vary", "Accept-Encoding")]))
    assert pages._bytes <= 20_000
    assert "k9" in pages and "k0" not in pages
    assert pages.get("k9", 1) is not None
    assert pages.get("k9", 2) is None  # built in another generation
    pages.put("k9", (2, "etag", b"x" * 50_000, None, 200, []))  # too big to keep
    assert "k9" not in pages  # and the old copy is gone too


def test_local_pages_count_more_than_the_body():
    """Tiny pages under many query strings must not slip past the budget."""
    pages = LocalPages(max_bytes=100_000)
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "max-age=300")]
    for n in range(1000):
        pages.put(f"page:zh-hans:{n:064d}", (1, "e", b"x" * 10, None, 200, headers))
    assert sum(1 for _ in pages._pages) < 100  # each counted at over 1 KB
