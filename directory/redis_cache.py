"""Django's Redis cache, reusing one redis.Redis client per server, and riding out outages.

Django's RedisCacheClient builds a new ``redis.Redis`` for every operation, and its
constructor registers some 170 response callbacks: measured here, that was half the cost of
serving a page from the cache. The client is thread-safe and its connection pool already
lives for the process (and resets itself after a fork), so one client per pool is enough.

The cache only ever holds copies: while Redis is down or unreachable, reads miss and writes
are dropped (with a warning) instead of failing the request. Visitors get pages built
afresh, and an editor's save, which bumps the content generation, still goes through.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# One warning per this many seconds while Redis stays away, not one per request.
_WARN_EVERY = 30
_last_warning = 0.0


def warn_unavailable(operation, error):
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > _WARN_EVERY:
        _last_warning = now
        logger.warning("Cache unavailable (%s failed: %s); serving without it.", operation, error)


def _riding_out_outages(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                warn_unavailable(method.__name__, error)
                return default() if callable(default) else default

        return wrapper

    return decorate


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as error:
            warn_unavailable("get", error)
            return default

    @_riding_out_outages(default=dict)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_riding_out_outages(default=None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_riding_out_outages(default=False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_riding_out_outages(default=False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    def clear(self):
        super().clear()
        # The generation went with everything else: let every process's watcher know.
        from directory.cache import GENERATION_KEY

        self._cache.get_client(write=True).publish(self.make_key(GENERATION_KEY), b"cleared")
