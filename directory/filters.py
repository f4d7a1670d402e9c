"""FilterSets of the directory's list pages, and what those list views share.

Every filter lives in the URL. Choices that come from the database (honours, clusters,
parks, institutions, enterprises) are read once per request in ``__init__`` as plain
(slug, name) lists, so validating and rendering the form cost one query each whatever
the data size. Invalid values never raise: the list views are not strict, so a value that
does not validate is ignored (the form shows its error) and the valid ones still filter.
"""

import string

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from directory.languages import name_in_page_language
from directory.models import (
    Cluster,
    Enterprise,
    Honour,
    Institution,
    InstitutionKind,
    Ownership,
    Park,
    Partnership,
    PartnershipKind,
    Relation,
)
from directory.models.base import PublishableQuerySet
from directory.search_keys import term_q, to_key

MAX_QUERY_LENGTH = 100  # of every search box: list keyword filters and /search/
LETTERS = list(string.ascii_uppercase)
YES_NO = [("true", _("Yes")), ("false", _("No"))]


def _named_choices(queryset):
    """[(slug, name in the visitor's language)] A–Z by pinyin, in one query."""
    rows = queryset.order_by("pinyin", "pk").values_list("slug", "name", "name_en").distinct()
    return [(slug, name_in_page_language(name, name_en)) for slug, name, name_en in rows]


def _keyword_filter():
    return django_filters.CharFilter(
        label=_("Keyword"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, pinyin or initials")}
        ),
    )


def _initial_filter():
    # Set from the A–Z bar; kept in the form as a hidden field so "Apply" keeps it.
    return django_filters.ChoiceFilter(
        label=_("Index letter"),
        field_name="initial",
        choices=[(letter, letter) for letter in LETTERS] + [("#", "#")],
        widget=forms.HiddenInput,
    )


class RelatedEntityFilter(django_filters.CharFilter):
    """A published related entity by its slug, or by name, pinyin or initials.

    A text box rather than a <select>: enterprises run into the thousands, and a list that
    long is slow to render and no help to a visitor.
    """

    def __init__(self, *args, placeholder="", **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "search", "placeholder": placeholder})
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        key = to_key(value)
        if not key:
            return qs
        by_slug = Q(**{f"{self.field_name}__slug": value})
        by_name = term_q(key, f"{self.field_name}__search_text")
        # In one filter(): the published entity must be the one that matched, or a draft's
        # name, aliases or slug would be confirmed to anyone who guesses them.
        public = PublishableQuerySet.published_q(f"{self.field_name}__")
        return qs.filter((by_slug | by_name) & public).distinct()


def _yes_no_filter(label, method):
    # A choice, not a BooleanFilter: "maybe" must be an error, not silently "any".
    return django_filters.ChoiceFilter(
        label=label, choices=YES_NO, method=method, empty_label=_("Either")
    )


class DirectoryFilterSet(django_filters.FilterSet):
    """Keyword search and the fixed set of orderings the subclasses declare."""

    #: {choice value: tuple of order_by() arguments}
    orderings = {}

    def __init__(self, data=None, *args, **kwargs):
        # ?initial=c means the same as ?initial=C.
        if data is not None and data.get("initial", "").islower():
            data = data.copy()
            data["initial"] = data["initial"].upper()
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_ordering(self, queryset, name, value):
        if value not in self.orderings:
            return queryset
        order = self.orderings[value]
        if "-partnership_count" in order and "partnership_count" not in queryset.query.annotations:
            queryset = queryset.with_partnership_count()
        return queryset.order_by(*order)


class InstitutionFilterSet(DirectoryFilterSet):
    q = _keyword_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=InstitutionKind.choices, empty_label=_("Any kind")
    )
    ownership = django_filters.ChoiceFilter(
        label=_("Public or private"), choices=Ownership.choices, empty_label=_("Either")
    )
    honour = django_filters.ChoiceFilter(
        label=_("Honour or platform"), field_name="honours__slug", empty_label=_("Any honour")
    )
    has_partnerships = _yes_no_filter(_("Has partnerships"), "filter_has_partnerships")
    initial = _initial_filter()
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_ordering",
        empty_label=None,
        choices=[
            ("pinyin", _("Name, A–Z by pinyin")),
            ("founded", _("Founding year, oldest first")),
            ("-founded", _("Founding year, newest first")),
            ("-partnerships", _("Most partnerships first")),
        ],
    )

    orderings = {
        "pinyin": ("pinyin", "pk"),
        "founded": (F("founded_year").asc(nulls_last=True), "pinyin", "pk"),
        "-founded": (F("founded_year").desc(nulls_last=True), "pinyin", "pk"),
        "-partnerships": ("-partnership_count", "pinyin", "pk"),
    }

    class Meta:
        model = Institution
        fields = ["q", "kind", "ownership", "honour", "has_partnerships", "initial", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only honours a listed institution holds: any other choice would always find none.
        held = Institution.honours.through.objects.filter(
            honour=OuterRef("pk"), institution__in=Institution.objects.published()
        )
        self.filters["honour"].extra["choices"] = _named_choices(
            Honour.objects.published().filter(Exists(held))
        )

    def filter_has_partnerships(self, queryset, name, value):
        has = Exists(Partnership.objects.visible().filter(institution=OuterRef("pk")))
        return queryset.filter(has) if value == "true" else queryset.exclude(has)


class EnterpriseFilterSet(DirectoryFilterSet):
    q = _keyword_filter()
    cluster = django_filters.ChoiceFilter(
        label=_("Industry cluster"), field_name="cluster__slug", empty_label=_("Any cluster")
    )
    park = django_filters.ChoiceFilter(
        label=_("Park"), field_name="park__slug", empty_label=_("Any park")
    )
    relation = django_filters.ChoiceFilter(
        label=_("Relation to the city"), choices=Relation.choices, empty_label=_("Any relation")
    )
    fortune500 = _yes_no_filter(_("Fortune Global 500"), "filter_fortune500")
    initial = _initial_filter()
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_ordering",
        empty_label=None,
        choices=[
            ("pinyin", _("Name, A–Z by pinyin")),
            ("-partnerships", _("Most partnerships first")),
        ],
    )

    orderings = {
        "pinyin": ("pinyin", "pk"),
        "-partnerships": ("-partnership_count", "pinyin", "pk"),
    }

    class Meta:
        model = Enterprise
        fields = ["q", "cluster", "park", "relation", "fortune500", "initial", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cluster"].extra["choices"] = _named_choices(Cluster.objects.published())
        self.filters["park"].extra["choices"] = _named_choices(Park.objects.published())

    def filter_fortune500(self, queryset, name, value):
        return queryset.filter(is_fortune_global_500=(value == "true"))


class PartnershipFilterSet(DirectoryFilterSet):
    q = _keyword_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartnershipKind.choices, empty_label=_("Any kind")
    )
    institution = django_filters.ChoiceFilter(
        label=_("Institution"), field_name="institution__slug", empty_label=_("Any institution")
    )
    enterprise = RelatedEntityFilter(
        label=_("Enterprise"), field_name="enterprise", placeholder=_("Name or pinyin")
    )

    class Meta:
        model = Partnership
        fields = ["q", "kind", "institution", "enterprise"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Partnership.objects.visible()
        self.filters["institution"].extra["choices"] = _named_choices(
            Institution.objects.published().filter(partnerships__in=visible)
        )
