"""Sitemaps (every public page in both languages), robots.txt, absolute addresses.

Every sitemap lists each page once per language with its hreflang alternates and an
x-default (the Chinese page). Detail sitemaps read ``published()`` so drafts and pages
scheduled for later never appear. When ``SITE_URL`` is set, it gives the scheme and host of
every absolute address; otherwise the request's own are used.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from directory.models import Article, Enterprise, Institution, Park


def absolute_url(request, path):
    """`path` on this site as an absolute URL, on SITE_URL when set."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


class _BilingualSitemap(Sitemap):
    # Each URL carries both languages and their alternates: keep each file small.
    limit = 1000
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)


class StaticPagesSitemap(_BilingualSitemap):
    """Home and the list pages. /search/ and /compare/ are left out: they only echo queries."""

    changefreq = "weekly"

    def items(self):
        return [
            "directory:home",
            "directory:institution_list",
            "directory:enterprise_list",
            "directory:park_list",
            "directory:partnership_list",
            "directory:article_list",
            "directory:figure_list",
        ]

    def location(self, item):
        return reverse(item)


class _ItemLanguagePairs:
    """(item, language) pairs of a queryset, counted and sliced in the database.

    Django's i18n sitemap builds the list of every pair to count pages, so the index and
    each section page would load every row on each request.
    """

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = languages

    def count(self):
        return self.queryset.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Only plain slices of sitemap items are supported.")
        start, stop = index.start or 0, index.stop
        width = len(self.languages)
        first = start // width
        last = None if stop is None else -(-stop // width)
        pairs = [(item, code) for item in self.queryset[first:last] for code in self.languages]
        offset = first * width
        return pairs[start - offset : None if stop is None else stop - offset]


class _PublishedSitemap(_BilingualSitemap):
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated").order_by("pk")

    def _items(self):
        # Every item is shown in every language (get_languages_for_item is not overridden).
        return _ItemLanguagePairs(self.items(), self._languages())

    def lastmod(self, item):
        return item.updated

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every item (Django's default for a lastmod method).
        return self.model.objects.published().aggregate(latest=Max("updated"))["latest"]


class InstitutionSitemap(_PublishedSitemap):
    model = Institution


class EnterpriseSitemap(_PublishedSitemap):
    model = Enterprise


class ParkSitemap(_PublishedSitemap):
    model = Park


class ArticleSitemap(_PublishedSitemap):
    model = Article


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "institutions": InstitutionSitemap,
    "enterprises": EnterpriseSitemap,
    "parks": ParkSitemap,
    "news": ArticleSitemap,
}


def _admin_paths():
    # A moved admin (DJANGO_ADMIN_URL) is meant to be hard to find: don't publish it here.
    if settings.ADMIN_URL != "admin/":
        return []
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            path = reverse("admin:index")
        if path not in paths:
            paths.append(path)
    return paths


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in _admin_paths()]
    lines += ["", f"Sitemap: {absolute_url(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever a page links (the admin links none).

    Not permanent: the icon's address carries a hash that changes with each release.
    """
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
