"""Whole-page cache for anonymous visitors, invalidated by a content generation.

Every cached page's key contains the current content generation, a number kept in the
shared cache. Any change to content sets a new generation, so every stale page stops being
found at once, in every process, without hunting for per-object keys. The generation is the
time of the change, which also serves as the pages' Last-Modified.
"""

import functools
import hashlib
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.http import http_date

from directory import generation_watch
from directory.redis_cache import CacheUnavailable, strict

GENERATION_KEY = "content-generation"
PAGE_TTL = 60 * 60 * 24
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/xml", "text/plain")
# Headers set per response by outer middleware or by the server; never replayed from cache.
_NOT_STORED = {"set-cookie", "date", "content-length"}


def next_scheduled_publication():
    """When the next item scheduled for later goes live (epoch seconds), or None."""
    from directory.models import Publishable, Status

    now = timezone.now()
    scheduled = [
        model.objects.filter(status=Status.PUBLISHED, publish_at__gt=now)
        .order_by()
        .values_list("publish_at", flat=True)
        for model in apps.get_app_config("directory").get_models()
        if issubclass(model, Publishable)
    ]
    first = scheduled[0].union(*scheduled[1:], all=True).order_by("publish_at").first()
    return first.timestamp() if first else None


_bump_pending = False


def bump_generation():
    """Mark all cached pages stale. Returns the new generation.

    Stored with it: when the next scheduled item goes live, so that the generation moves
    on by itself at that moment and the item appears without anyone saving anything.
    If the cache cannot store it (Redis down), the bump is remembered and made again by
    the next request this process serves (``retry_pending_bump``): the change must not be
    forgotten when Redis returns with the old generation and the old pages.
    """
    global _bump_pending
    generation = time.time_ns()
    stored = (generation, next_scheduled_publication())
    try:
        with strict():
            cache.set(GENERATION_KEY, stored, None)
    except CacheUnavailable:
        _bump_pending = True
        return generation
    _bump_pending = False
    _announce(stored)
    return generation


_last_retry = 0.0


def retry_pending_bump():
    """Make a bump that failed while the cache was down, once it may be back."""
    global _last_retry
    if _bump_pending and time.monotonic() - _last_retry > 1:
        _last_retry = time.monotonic()
        bump_generation()


def bump_is_pending():
    return _bump_pending


def bump_for_command(command):
    """bump_generation() from a management command, which says so if the cache was down."""
    bump_generation()
    if _bump_pending:
        command.stderr.write(
            "Warning: the cache is unavailable, so pages cached before this command may "
            "still be served. Run `manage.py expire_pages` once it is back."
        )


def mark_bump_pending():
    """The shared generation went backwards (Redis restored from an old snapshot)."""
    global _bump_pending
    _bump_pending = True


def _announce(stored):
    """Tell every process's watcher (directory.generation_watch) that the generation moved."""
    watcher = generation_watch.watcher()
    if watcher is not None:
        watcher.take(stored)
        watcher.announce()


def current_generation():
    stored = cache.get(GENERATION_KEY)
    if stored is None:
        generation = (time.time_ns(), next_scheduled_publication())
        # add() so that two processes starting together agree on one generation.
        if not cache.add(GENERATION_KEY, generation, None):
            stored = cache.get(GENERATION_KEY) or generation
            return stored[0]
        _announce(generation)
        return generation[0]
    return generation_from(stored)


def generation_from(stored):
    """The current generation from the stored value (fetched with the page in one trip)."""
    if stored is None:
        return current_generation()
    generation, next_publication = stored
    if next_publication is not None and time.time() >= next_publication:
        return bump_generation()
    return generation


@functools.cache
def code_version():
    """A digest of what shapes a page besides content: code, templates, catalogues, assets.

    Part of every page key, so pages cached by the previous release are never served by the
    next one (computed once per process, from a few hundred small files).
    """
    base = Path(settings.BASE_DIR)
    files = sorted(
        [
            *base.joinpath("directory").rglob("*.py"),
            *base.joinpath("templates").rglob("*.html"),
            *base.joinpath("locale").rglob("*.mo"),
        ]
    )
    if settings.STATIC_ROOT:
        files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_key(secure, host, language, full_path):
    """One key per page and release; the entry records the generation it was built in."""
    address = f"{'https' if secure else 'http'}://{host}{full_path}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{code_version()}:{language}:{digest}"


def etag_for(key, generation):
    return '"' + hashlib.sha256(f"{key}:{generation}".encode()).hexdigest()[:32] + '"'


def last_modified_for(generation):
    return http_date(generation // 1_000_000_000)


def not_modified(request, etag, generation):
    """True when the client holds this very page (If-None-Match).

    If-Modified-Since alone is not trusted: it has one-second resolution, and a save moves
    the generation twice within the same second (before and after its commit).
    """
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def storable_headers(response):
    return [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]


def is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    return response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES


def _content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixture loading: load_demo bumps once at the end
        return
    # Now (what this process serves next must not be an old page), and again once the
    # transaction commits (a page built from the old data in between is dropped): that
    # second bump once per transaction, however many rows it changes.
    bump_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _bump_after_commit for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(_bump_after_commit)


def _bump_after_commit():
    bump_generation()


def connect_signals():
    """Any saved, deleted or re-linked content model makes cached pages stale."""
    for model in apps.get_app_config("directory").get_models():
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"gen-save-{model}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"gen-del-{model}")
    m2m_changed.connect(_content_changed, dispatch_uid="gen-m2m")
