"""The Redis cache backend reuses its client and behaves as Django's own."""

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS = {
    "default": {
        "BACKEND": "directory.redis_cache.ReusedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
        "KEY_PREFIX": "gzc-test",
    }
}


def redis_available():
    try:
        import redis

        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.skipif(not redis_available(), reason="needs Redis at 127.0.0.1:6379")
@override_settings(CACHES=REDIS)
def test_round_trip_and_one_client():
    cache = caches["default"]
    cache.set("k", {"v": 1}, 30)
    assert cache.get_many(["k", "missing"]) == {"k": {"v": 1}}
    first = cache._cache.get_client(write=False)
    assert cache._cache.get_client(write=True) is first
    cache.delete("k")
    assert cache.get("k") is None
