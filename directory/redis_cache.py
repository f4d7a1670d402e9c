"""Django's Redis cache, reusing one redis.Redis client per server, and riding out outages.

Django's RedisCacheClient builds a new ``redis.Redis`` for every operation, and its
constructor registers some 170 response callbacks: measured here, that was half the cost of
serving a page from the cache. The client is thread-safe and its connection pool already
lives for the process (and resets itself after a fork), so one client per pool is enough.

The cache only ever holds copies: while Redis is down or unreachable, reads miss and writes
are dropped (with a warning) instead of failing the request. After a failure the process
leaves Redis alone for a few seconds, so an outage costs each request nothing rather than
a timeout per call. Writes that must not be lost silently (the content generation) are made
inside ``strict()``, which lets the error through to the caller.
"""

import contextlib
import contextvars
import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)
# One warning per this many seconds while Redis stays away, not one per request.
_WARN_EVERY = 30
# After a failure, how long to treat Redis as down without trying it.
_PAUSE_AFTER_FAILURE = 5

_last_warning = 0.0
_down_until = 0.0
_strict = contextvars.ContextVar("strict_cache", default=False)


class CacheUnavailable(ConnectionError):
    """Redis is down (or was, moments ago): raised inside strict()."""


@contextlib.contextmanager
def strict():
    """Within this block cache errors reach the caller (as CacheUnavailable)."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


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
            global _down_until
            if time.monotonic() < _down_until:
                if _strict.get():
                    raise CacheUnavailable("cache marked down after a recent failure")
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except CACHE_ERRORS as error:
                _down_until = time.monotonic() + _PAUSE_AFTER_FAILURE
                warn_unavailable(method.__name__, error)
                if _strict.get():
                    raise CacheUnavailable(str(error)) from error
                return default(*args, **kwargs)

        return wrapper

    return decorate


def _miss(key, default=None, version=None):
    return default


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

    @_riding_out_outages(default=_miss)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_riding_out_outages(default=lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_riding_out_outages(default=lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_riding_out_outages(default=lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_riding_out_outages(default=lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_riding_out_outages(default=lambda *args, **kwargs: None)
    def publish(self, channel, message):
        return self._cache.get_client(write=True).publish(channel, message)

    def clear(self):
        super().clear()
        # The generation went with everything else: let every process's watcher know.
        from directory.cache import GENERATION_KEY

        self.publish(self.make_key(GENERATION_KEY), b"cleared")
