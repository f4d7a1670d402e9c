"""Each process's own copy of the content generation and of the pages it serves.

A page-cache hit cost one Redis round trip (generation and page fetched together), and that
round trip was most of the time a hit took. Here every change of the generation is also
announced on a Redis channel. Each process subscribes to it from a background thread and
re-reads the generation whenever an announcement comes, and keeps the pages it served in
memory. A hit on a page built in the current generation then needs no network at all, while
a change still reaches every process at once: the announcement is a pub/sub message, and
the process that makes the change takes the new generation before it even announces it.

Only with the Redis cache (``directory.redis_cache``); with the local-memory cache of
development there is nothing shared to watch. Whenever the subscription is not established
(a process starting, Redis restarting), ``current_state()`` returns None and the middleware
reads the generation from Redis with every request, as it would without this module.
"""

import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from redis.exceptions import RedisError

from directory.redis_cache import warn_unavailable

# Without any announcement for this long, the watcher re-reads the generation anyway: a
# subscription that died silently can never leave a process stale for longer.
RECHECK_SECONDS = 10
RETRY_SECONDS = 1


class GenerationWatcher:
    def __init__(self, cache, key):
        self.cache = cache
        self.key = key
        self.channel = cache.make_key(key)
        self._stored = None
        self._pid = None
        self._lock = threading.Lock()

    def current(self):
        """The stored (generation, next publication) while subscribed, else None."""
        if self._pid != os.getpid():  # first call in this process, or after a fork
            self._start()
            return None
        return self._stored

    def take(self, stored):
        """Adopt a value this process has just written itself, without waiting for the echo."""
        if self._pid == os.getpid() and self._stored is not None:
            self._stored = stored

    def announce(self):
        try:
            self.cache._cache.get_client(write=True).publish(self.channel, b"changed")
        except (RedisError, OSError) as error:  # the watchers re-read when Redis is back
            warn_unavailable("publish", error)

    def reread(self):
        self._stored = self.cache.get(self.key)

    def _start(self):
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stored = None
            threading.Thread(
                target=self._listen, args=(self._pid,), name="generation-watch", daemon=True
            ).start()

    def _listen(self, pid):
        while self._pid == pid:
            pubsub = None
            try:
                pubsub = self.cache._cache.get_client(write=False).pubsub(
                    ignore_subscribe_messages=False
                )
                pubsub.subscribe(self.channel)
                subscribed, last_read = False, 0.0
                while self._pid == pid:
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None and message["type"] in ("subscribe", "message"):
                        # Read only once subscribed: any later change is then announced.
                        subscribed = True
                        self.reread()
                        last_read = time.monotonic()
                    elif subscribed and time.monotonic() - last_read > RECHECK_SECONDS:
                        self.reread()
                        last_read = time.monotonic()
            except Exception:  # Redis away: fall back to reading per request, retry soon
                pass
            finally:
                self._stored = None
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        pass
            time.sleep(RETRY_SECONDS)


class LocalPages:
    """Pages this process served, least recently used out first, bounded in bytes."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._pages = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _size(entry):
        return len(entry[2]) + len(entry[3] or b"")

    def get(self, key, generation):
        entry = self._pages.get(key)
        if entry is None or entry[0] != generation:
            return None
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
        return entry

    def put(self, key, entry):
        size = self._size(entry)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= self._size(old)
            self._pages[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= self._size(evicted)

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __contains__(self, key):
        return key in self._pages


_watcher = None
_pages = None


def _setup():
    global _watcher, _pages
    from directory.cache import GENERATION_KEY

    cache = caches["default"]
    max_bytes = settings.PAGE_CACHE_LOCAL_BYTES
    if isinstance(cache, RedisCache) and max_bytes > 0:
        _watcher = GenerationWatcher(cache, GENERATION_KEY)
        _pages = LocalPages(max_bytes)
    else:
        _watcher = _pages = False


def watcher():
    """The process's GenerationWatcher, or None when the cache is not Redis."""
    if _watcher is None:
        _setup()
    return _watcher or None


def local_pages():
    if _pages is None:
        _setup()
    return _pages or None


def current_state():
    active = watcher()
    return active.current() if active else None


def forget_local_copies():
    """Drop this process's pages and re-read the generation (after the cache was cleared)."""
    pages = local_pages()
    if pages is not None:
        pages.clear()
    active = watcher()
    if active and active.current() is not None:
        active.reread()


def _reset(*, setting, **kwargs):
    global _watcher, _pages
    if setting in ("CACHES", "PAGE_CACHE_LOCAL_BYTES"):
        if _watcher:
            _watcher._pid = None  # stops its thread
        _watcher = _pages = None


setting_changed.connect(_reset)
