"""One search box over institutions, enterprises, parks, partnerships, news and key figures.

Each type is one query: ``published().search(q)`` (Chinese, full pinyin or initials through
the search keys), its first results, and the total as a window count on the same rows.
Six queries, whatever the data size or the query.
"""

from dataclasses import dataclass

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from directory.filters import MAX_QUERY_LENGTH
from directory.models import Article, Enterprise, Figure, Institution, Park, Partnership
from directory.search_keys import visible
from directory.views.mixins import crumbs

RESULTS_PER_TYPE = 10
MAX_TERMS = 8


@dataclass(frozen=True)
class SearchType:
    key: str
    title: object
    list_url_name: str
    #: Whether the list page takes ?q= (the park list shows every park on one page).
    list_takes_query: bool = True

    def queryset(self):
        raise NotImplementedError


class _Institutions(SearchType):
    def queryset(self):
        return Institution.objects.published()


class _Enterprises(SearchType):
    def queryset(self):
        return Enterprise.objects.published().select_related("park", "cluster")


class _Parks(SearchType):
    def queryset(self):
        return Park.objects.published()


class _Partnerships(SearchType):
    def queryset(self):
        return Partnership.objects.visible().with_sides()


class _News(SearchType):
    def queryset(self):
        return Article.objects.published().newest_first()


class _Figures(SearchType):
    def queryset(self):
        # A figure's address leads to its subject's page, which the result names.
        return Figure.objects.visible().with_subjects()


SEARCH_TYPES = [
    _Institutions("institutions", _("Institutions"), "directory:institution_list"),
    _Enterprises("enterprises", _("Enterprises"), "directory:enterprise_list"),
    _Parks("parks", _("Parks and functional projects"), "directory:park_list", False),
    _Partnerships("partnerships", _("Partnerships"), "directory:partnership_list"),
    _News("news", _("News"), "directory:article_list"),
    _Figures("figures", _("Key figures"), "directory:figure_list", False),
]


@dataclass
class SearchGroup:
    key: str
    title: object
    results: list
    total: int
    more_url: str
    more_is_filtered: bool = True

    @property
    def has_more(self):
        return self.total > len(self.results)


def clean_query(raw):
    """What is searched for: printable text, at most MAX_TERMS words and MAX_QUERY_LENGTH
    characters. Returns (query, was_shortened)."""
    text = visible(raw or "")
    words = text.split()
    query = " ".join(words[:MAX_TERMS])
    shortened = len(words) > MAX_TERMS or len(query) > MAX_QUERY_LENGTH
    return query[:MAX_QUERY_LENGTH].strip(), shortened


def search_groups(query):
    groups = []
    for search_type in SEARCH_TYPES:
        rows = list(
            search_type.queryset()
            .search(query)
            .annotate(search_total=Window(Count("pk")))[:RESULTS_PER_TYPE]
        )
        total = rows[0].search_total if rows else 0
        more_url = reverse(search_type.list_url_name)
        if search_type.list_takes_query:
            more_url += "?" + urlencode({"q": query})
        groups.append(
            SearchGroup(
                key=search_type.key,
                title=search_type.title,
                results=rows,
                total=total,
                more_url=more_url,
                more_is_filtered=search_type.list_takes_query,
            )
        )
    return groups


class SearchView(TemplateView):
    template_name = "directory/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, shortened = clean_query(self.request.GET.get("q", ""))
        groups = search_groups(query) if query else []
        context.update(
            query=query,
            query_shortened=shortened,
            groups=groups,
            found_groups=[group for group in groups if group.total],
            total=sum(group.total for group in groups),
            max_query_length=MAX_QUERY_LENGTH,
            max_terms=MAX_TERMS,
            crumbs=crumbs((_("Search"), None)),
        )
        return context
