"""Whole-page cache for anonymous visitors, invalidated by a content generation.

Every cached page's key contains the current content generation, a number kept in the
shared cache. Any change to content sets a new generation, so every stale page stops being
found at once, in every process, without hunting for per-object keys. The generation is the
time of the change, which also serves as the pages' Last-Modified.
"""

import hashlib
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from directory import generation_watch

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


def bump_generation():
    """Mark all cached pages stale. Returns the new generation.

    Stored with it: when the next scheduled item goes live, so that the generation moves
    on by itself at that moment and the item appears without anyone saving anything.
    """
    generation = time.time_ns()
    stored = (generation, next_scheduled_publication())
    cache.set(GENERATION_KEY, stored, None)
    _announce(stored)
    return generation


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


def page_key(secure, host, language, full_path):
    """One key per page; the entry records the generation it was built in."""
    address = f"{'https' if secure else 'http'}://{host}{full_path}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{language}:{digest}"


def etag_for(key, generation):
    return '"' + hashlib.sha256(f"{key}:{generation}".encode()).hexdigest()[:32] + '"'


def last_modified_for(generation):
    return http_date(generation // 1_000_000_000)


def not_modified(request, etag, generation):
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and since >= generation // 1_000_000_000


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
    # Now, and again once committed: a page cached from the old data in between is dropped.
    bump_generation()
    transaction.on_commit(bump_generation)


def connect_signals():
    """Any saved, deleted or re-linked content model makes cached pages stale."""
    for model in apps.get_app_config("directory").get_models():
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"gen-save-{model}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"gen-del-{model}")
    m2m_changed.connect(_content_changed, dispatch_uid="gen-m2m")
