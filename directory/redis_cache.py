"""Django's Redis cache, reusing one redis.Redis client per server.

Django's RedisCacheClient builds a new ``redis.Redis`` for every operation, and its
constructor registers some 170 response callbacks: measured here, that was half the cost of
serving a page from the cache. The client is thread-safe and its connection pool already
lives for the process (and resets itself after a fork), so one client per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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

    def clear(self):
        super().clear()
        # The generation went with everything else: let every process's watcher know.
        from directory.cache import GENERATION_KEY

        self._cache.get_client(write=True).publish(self.make_key(GENERATION_KEY), b"cleared")
