"""What the list and detail views share."""

from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from directory.filters import LETTERS
from directory.links import MAX_REPEATED_QUERY


def crumbs(*trail):
    """Breadcrumbs from Home: (label, url) pairs, the last one the current page (url None)."""
    return [(gettext("Home"), reverse("directory:home")), *trail]


class LenientPaginationMixin:
    """A page past the end gives the last page, a page that is not a number the first."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class PublishedObjectMixin:
    """A detail page shows published objects only; the staff preview widens ``shown()``."""

    def shown(self):
        return self.model.objects.published()


class PhotosMixin:
    """A detail page's photos, and the first real photograph for OpenGraph.

    A placeholder never stands for the page on social media: the site's image does then.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        photos = list(self.object.photos.all())
        context["photos"] = photos
        context["og_photo"] = next((p for p in photos if not p.is_placeholder), None)
        return context


class DirectoryListMixin(LenientPaginationMixin):
    """What the filtered directory lists share.

    - not strict: an invalid filter value is ignored and its error shown, never a 500;
    - lenient pagination;
    - the A–Z bar (``az_letters``: which letters have entries), breadcrumbs and a count.
    """

    strict = False
    list_title = ""
    az_index = True

    def list_query(self, filterset):
        """The query the page repeats in its links (A–Z, pages, the cards' way back): the
        filters that validated and the page, or none when that is longer than any real one."""
        errors = filterset.form.errors if filterset.is_bound else {}
        kept = self.request.GET.copy()
        for key in self.request.GET:
            if key in errors or (key not in filterset.form.fields and key != self.page_kwarg):
                del kept[key]
        return kept if len(kept.urlencode()) <= MAX_REPEATED_QUERY else QueryDict()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        if self.az_index:
            in_use = self.model.objects.published().initials_in_use()
            current = ""
            if filterset.is_bound and "initial" not in filterset.form.errors:
                current = filterset.form.cleaned_data.get("initial") or ""
            context["az_letters"] = [(letter, letter in in_use) for letter in LETTERS]
            if "#" in in_use:
                context["az_letters"].append(("#", True))
            context["current_initial"] = current
        context["list_title"] = self.list_title
        context["list_query"] = list_query = self.list_query(filterset)
        context["back_query"] = list_query.urlencode()
        context["crumbs"] = crumbs((self.list_title, None))
        return context


def back_to_list(request, list_url_name):
    """The way back from a detail page to the list it was opened from.

    The ``back`` parameter (the list's query string, which list cards put in their links)
    becomes a query on the list. Whatever it holds, the link stays on the list, so it can never
    lead off the site. The Referer is not used: pages are cached by URL, and one visitor's
    Referer must not become every visitor's back link.
    """
    query = request.GET.get("back", "").lstrip("?")
    pairs = [(k, v) for k, v in parse_qsl(query) if k != "back"]
    return reverse(list_url_name) + ("?" + urlencode(pairs) if pairs else "")
