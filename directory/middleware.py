import functools

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.template import loader
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language_from_path

from directory import cache as page_cache
from directory import generation_watch

# Machine-readable pages change rarely and are fetched by robots: let them keep a copy.
_LONGER_LIVED = ("/sitemap.xml", "/robots.txt", "/news/feed/", "/en/news/feed/")


def _accepts_gzip(request):
    return _gzip_acceptable(request.META.get("HTTP_ACCEPT_ENCODING", ""))


# Browsers send a handful of distinct headers: each is parsed once, not on every cache hit.
@functools.lru_cache(maxsize=256)
def _gzip_acceptable(header):
    """gzip named (or *) with a quality above 0: ``gzip;q=0`` means "not gzip"."""
    anything = False
    for entry in header.lower().split(","):
        coding, *params = (piece.strip() for piece in entry.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            anything = quality > 0
    return anything


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's, but it reads the quality: it would compress for ``gzip;q=0`` too."""

    def process_response(self, request, response):
        if not _accepts_gzip(request):
            patch_vary_headers(response, ["Accept-Encoding"])
            return response
        return super().process_response(request, response)


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET/HEAD requests from the page cache, with ETag and 304s.

    Sits first in the chain: a request without a session cookie is anonymous by definition,
    so a hit runs no other middleware and no database query. Pages are keyed by scheme and
    host too, so an http request still meets the HTTPS redirect and a page built for one host
    never answers another. Anyone with a session (staff, previews) goes through to the views
    and never reads or fills the cache.
    """

    def __init__(self, get_response):
        if not settings.PAGE_CACHE_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        # Read once: settings lookups showed up in the profile of a cache hit.
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.default_language = settings.LANGUAGE_CODE
        self.admin_fragment = "/" + settings.ADMIN_URL
        self.skipped_prefixes = (self.admin_fragment, settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request):
        page_cache.retry_pending_bump()
        if not self.applies_to(request):
            return self.get_response(request)
        language = get_language_from_path(request.path_info) or self.default_language
        try:
            host = request.get_host()  # validated against ALLOWED_HOSTS
        except DisallowedHost:
            # Not cached; the chain answers 400 with the security headers every page has.
            return self.get_response(request)
        key = page_cache.page_key(request.is_secure(), host, language, request.get_full_path())
        generation, entry = self.lookup(key)
        if entry is not None:
            return self.from_cache(request, entry)
        response = self.get_response(request)
        if page_cache.is_cacheable(response):
            self.add_validators(request, response, page_cache.etag_for(key, generation), generation)
            # Compressed once here, so hits never spend time on gzip.
            compressed = compress_string(response.content)
            entry = (
                generation,
                response["ETag"],
                response.content,
                compressed if len(compressed) < len(response.content) else None,
                response.status_code,
                page_cache.storable_headers(response),
            )
            page_cache.cache.set(key, entry, page_cache.PAGE_TTL)
            local_pages = generation_watch.local_pages()
            if local_pages is not None:
                local_pages.put(key, entry)
            response["X-Page-Cache"] = "miss"
        return response

    def lookup(self, key):
        """(current generation, the page built in it or None)."""
        state = generation_watch.current_state()
        if state is None:
            # One round trip for both: the current generation and the page.
            found = page_cache.cache.get_many([page_cache.GENERATION_KEY, key])
            generation = page_cache.generation_from(found.get(page_cache.GENERATION_KEY))
            entry = found.get(key)
        else:
            # This process follows the generation (generation_watch): its own copy first.
            generation = page_cache.generation_from(state)
            local_pages = generation_watch.local_pages()
            entry = local_pages.get(key, generation)
            if entry is not None:
                return generation, entry
            entry = page_cache.cache.get(key)
            if entry is not None and entry[0] == generation:
                local_pages.put(key, entry)
        if entry is not None and entry[0] != generation:
            entry = None
        return generation, entry

    def from_cache(self, request, entry):
        generation, etag, content, compressed, status, headers = entry
        if page_cache.not_modified(request, etag, generation):
            response = HttpResponseNotModified()
            for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                value = next((v for k, v in headers if k == name), None)
                if value:
                    response[name] = value
            return response
        if compressed is not None and _accepts_gzip(request):
            content = compressed
            # As GZipMiddleware does on a miss: the strong ETag names the plain bytes only.
            headers = [(k, f"W/{v}" if k == "ETag" else v) for k, v in headers]
            headers.append(("Content-Encoding", "gzip"))
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response

    def applies_to(self, request):
        path = request.path_info
        return (
            request.method in ("GET", "HEAD")
            and self.session_cookie not in request.COOKIES
            and not path.startswith(self.skipped_prefixes)
            and self.admin_fragment not in path  # /en/admin/
        )

    def add_validators(self, request, response, etag, generation):
        response["ETag"] = etag
        response["Last-Modified"] = page_cache.last_modified_for(generation)
        patch_vary_headers(response, ["Accept-Encoding"])
        if request.path_info.endswith(_LONGER_LIVED):
            patch_cache_control(response, public=True, max_age=300)
        else:
            # Browsers revalidate every time; a 304 costs next to nothing.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class RejectControlCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL byte.

    No page needs one, PostgreSQL refuses to store or compare text that holds one, and
    catching it here keeps every view from having to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """Answer 405 to a method the class-based view has no handler for, before CSRF runs.

    Without it a POST to a public page gets the CSRF failure ("the form has expired"), which
    is the wrong answer: no public page takes a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        method = request.method.lower()
        if view_class is None or hasattr(view_class, "get" if method == "head" else method):
            return None
        view = view_class(**view_func.view_initkwargs)
        view.setup(request, *view_args, **view_kwargs)  # so that Allow names HEAD too
        return view.http_method_not_allowed(request, *view_args, **view_kwargs)
