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

Guards: the subscription is pinged and must answer, or it is dropped and made again; the
generation is re-read every few seconds even without announcements; on every (re)subscribe
the process forgets its pages; and when Redis has restarted meanwhile (it may have come back
from a snapshot older than the last change), the process makes a new generation.
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed

from directory.redis_cache import warn_unavailable

logger = logging.getLogger(__name__)

# Re-read the generation, and ping the subscription, this often without announcements.
RECHECK_SECONDS = 5
# A ping not answered within this long means the subscription is dead.
PONG_DEADLINE_SECONDS = 3
RETRY_SECONDS = 1


class GenerationWatcher:
    def __init__(self, cache, key, pages=None):
        self.cache = cache
        self.key = key
        self.channel = cache.make_key(key)
        self.pages = pages
        self.pubsub = None
        self._stored = None
        self._redis_run = None
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
        self.cache.publish(self.channel, b"changed")

    def reread(self):
        # None when not set yet (or the cache was cleared): then read per request.
        self._stored = self.cache.get(self.key)

    def stop(self):
        self._pid = None

    def _check_redis_run(self, client):
        """A restarted Redis may have come back from an old snapshot: make a new generation."""
        from directory.cache import mark_bump_pending

        run = client.info("server").get("run_id")
        if self._redis_run is not None and run != self._redis_run:
            mark_bump_pending()
        self._redis_run = run

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
            try:
                self._follow(pid)
            except Exception as error:  # Redis away: fall back to reading per request
                warn_unavailable("generation subscription", error)
            finally:
                self._stored = None
                if self.pubsub is not None:
                    try:
                        self.pubsub.close()
                    except Exception:
                        pass
                    self.pubsub = None
            time.sleep(RETRY_SECONDS)

    def _follow(self, pid):
        client = self.cache._cache.get_client(write=False)
        self.pubsub = client.pubsub()
        self.pubsub.subscribe(self.channel)
        subscribed, last_check, ping_sent = False, time.monotonic(), None
        while self._pid == pid:
            message = self.pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            kind = message["type"] if message else None
            if kind == "subscribe":
                # Only now: any change after this read is announced to us. Pages kept from
                # before (another connection, perhaps another Redis) are not trusted.
                subscribed = True
                if self.pages is not None:
                    self.pages.clear()
                self._check_redis_run(client)
                self.reread()
                last_check = now
            elif kind == "message":
                self.reread()
                last_check = now
            elif kind == "pong":
                ping_sent = None
            if ping_sent is not None and now - ping_sent > PONG_DEADLINE_SECONDS:
                raise ConnectionError("the generation subscription stopped answering")
            if subscribed and now - last_check > RECHECK_SECONDS:
                self.reread()
                if ping_sent is None:
                    self.pubsub.ping()
                    ping_sent = now
                last_check = now


class LocalPages:
    """Pages this process served, least recently used out first, bounded in bytes."""

    # Per entry beyond its content: key, tuple, headers and dictionary slot, measured.
    OVERHEAD = 1024

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._pages = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @classmethod
    def _size(cls, key, entry):
        headers = sum(len(name) + len(value) for name, value in entry[5])
        return len(key) + len(entry[2]) + len(entry[3] or b"") + headers + cls.OVERHEAD

    def get(self, key, generation):
        entry = self._pages.get(key)
        if entry is None or entry[0] != generation:
            return None
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
        return entry

    def put(self, key, entry):
        size = self._size(key, entry)
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= self._size(key, old)
            if size > self.max_bytes:
                return
            self._pages[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                evicted_key, evicted = self._pages.popitem(last=False)
                self._bytes -= self._size(evicted_key, evicted)

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
    if isinstance(cache, RedisCache) and hasattr(cache, "publish") and max_bytes > 0:
        _pages = LocalPages(max_bytes)
        _watcher = GenerationWatcher(cache, GENERATION_KEY, _pages)
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
            _watcher.stop()
        _watcher = _pages = None


setting_changed.connect(_reset)
