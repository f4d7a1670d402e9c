"""The filters of the news archive: year, the institution / enterprise / park mentioned, keyword.

Choices are read once per request in ``__init__`` (one query each) and kept as plain lists,
so validating and rendering the form cost no further queries whatever the data size.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from directory.filters import MAX_QUERY_LENGTH, RelatedEntityFilter
from directory.languages import name_in_page_language
from directory.models import Article, Institution, Park


def _mentioned_in_news(model):
    """(slug, name) of the published entities that published news mention, A–Z by pinyin."""
    # EXISTS over the link table: a join through every article and a DISTINCT took
    # 70 ms with 1,000 news articles.
    through = getattr(Article, f"{model._meta.model_name}s").through
    mentioned = through.objects.filter(
        Article.objects.published_q("article__"), **{model._meta.model_name: OuterRef("pk")}
    )
    rows = (
        model.objects.published()
        .filter(Exists(mentioned))
        .order_by("pinyin", "pk")
        .values_list("slug", "name", "name_en")
    )
    return [(slug, name_in_page_language(name, name_en)) for slug, name, name_en in rows]


class ArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Title, pinyin or initials")}
        ),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"))
    institution = django_filters.ChoiceFilter(
        label=_("Institution"), field_name="institutions__slug", empty_label=_("Any institution")
    )
    enterprise = RelatedEntityFilter(
        label=_("Enterprise"), field_name="enterprises", placeholder=_("Name or pinyin")
    )
    park = django_filters.ChoiceFilter(
        label=_("Park"), field_name="parks__slug", empty_label=_("Any park")
    )

    class Meta:
        model = Article
        fields = ["q", "year", "institution", "enterprise", "park"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The archive's years with their counts, over all published news (not the filtered).
        self.year_counts = list(Article.objects.published().year_counts())
        self.filters["year"].extra["choices"] = [
            (str(row["year"]), str(row["year"])) for row in self.year_counts
        ]
        for name, model in (("institution", Institution), ("park", Park)):
            self.filters[name].extra["choices"] = _mentioned_in_news(model)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
