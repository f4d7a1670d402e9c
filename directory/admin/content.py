"""The admin page of every content model."""

import reversion
from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from directory.formatting import format_chinese
from directory.models import (
    Article,
    ArticleSection,
    Cluster,
    Enterprise,
    Figure,
    Honour,
    Institution,
    NotableAlumnus,
    Park,
    Partnership,
    Photo,
)
from directory.search_keys import to_key

from .base import (
    PLAIN_DECIMALS,
    ConcurrentEditInlineMixin,
    PhotoAdminMixin,
    PublicationInlineMixin,
    PublicationStateFilter,
    PublishableAdmin,
    RelatedFilter,
    StaffAdmin,
    StaffImportExportMixin,
    StaffSearchBoxesMixin,
    photo_thumbnail,
)
from .forms import PhotoForm, SectionForm, SectionFormSet
from .resources import EnterpriseResource, InstitutionResource, PartnershipResource

admin.site.site_header = _("Chongqing Higher Vocational Education City — content management")
admin.site.site_title = _("City portal admin")
admin.site.index_title = _("Content")

# History: what one restore brings back together. An article is restored with its sections,
# an institution with its notable alumni; photos, partnerships and figures have their own
# history (restoring an article never deletes a photo file).
for model, follow in [
    (ArticleSection, ()),
    (NotableAlumnus, ()),
    (Photo, ()),
    (Article, ("sections",)),
    (Institution, ("alumni",)),
    (Honour, ()),
    (Cluster, ()),
    (Park, ()),
    (Enterprise, ()),
    (Partnership, ()),
    (Figure, ()),
]:
    if not reversion.is_registered(model):
        reversion.register(model, follow=follow)


def _first_photo(obj):
    photos = list(obj.photos.all())  # prefetched by the changelist queryset
    return photos[0] if photos else None


class WithThumbnailMixin:
    """A thumbnail column for models with photos, without a query per row."""

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return photo_thumbnail(_first_photo(obj))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("order", "pk")))
        )


# --- Inlines --------------------------------------------------------------------------------


class NotableAlumnusInline(admin.TabularInline):
    model = NotableAlumnus
    extra = 0


class PartnershipInline(PublicationInlineMixin, StaffSearchBoxesMixin, admin.TabularInline):
    model = Partnership
    fields = ["name", "kind", "institution", "enterprise", "status"]
    autocomplete_fields = ["institution", "enterprise"]
    extra = 0
    show_change_link = True


FIGURE_HELP_TEXTS = {
    "value": _(
        "The number alone, written out in full: 50000 for 5万余名. The page writes it with "
        "万 or 亿 (see “write with 万/亿”); the unit and a word such as 余 go in their own "
        "fields."
    ),
}


class FigureHelpMixin:
    """How to write a figure's number, on its own page and in the rows of its subject."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in FIGURE_HELP_TEXTS:
            kwargs.setdefault("help_text", FIGURE_HELP_TEXTS[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FigureInline(FigureHelpMixin, PublicationInlineMixin, admin.TabularInline):
    model = Figure
    # The mixin's form is a ModelErrorsForm: a row lacks value_max and the other subjects,
    # and their errors are named.
    formfield_overrides = PLAIN_DECIMALS
    fields = [
        "name",
        "value",
        "unit",
        "qualifier",
        "scope",
        "figure_status",
        "horizon",
        "horizon_en",
        "status",
    ]
    extra = 0
    show_change_link = True


class PhotoInline(ConcurrentEditInlineMixin, StaffSearchBoxesMixin, admin.StackedInline):
    model = Photo
    form = PhotoForm
    fields = [
        "preview",
        "image",
        "caption",
        "caption_en",
        "credit",
        "alt_text",
        "is_placeholder",
        "institution",
        "enterprise",
        "park",
        "order",
    ]
    readonly_fields = ["preview"]
    autocomplete_fields = ["institution", "enterprise", "park"]
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return photo_thumbnail(obj if obj and obj.pk else None)


class SectionInline(admin.StackedInline):
    model = ArticleSection
    form = SectionForm
    formset = SectionFormSet
    fields = ["order", "heading", "body"]
    extra = 0


# --- Content models -------------------------------------------------------------------------


@admin.register(Honour)
class HonourAdmin(PublishableAdmin):
    fieldsets = [
        (None, {"fields": ["name", "name_en", "aliases", "description"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Cluster)
class ClusterAdmin(PublishableAdmin):
    list_display = ["name", "park", "order", "state", "updated"]
    list_filter = [PublicationStateFilter, ("park", RelatedFilter)]
    list_select_related = ["park"]
    autocomplete_fields = ["park"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "aliases", "summary", "park", "order"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Institution)
class InstitutionAdmin(StaffImportExportMixin, WithThumbnailMixin, PublishableAdmin):
    resource_classes = [InstitutionResource]
    list_display = [
        "thumbnail",
        "name",
        "kind",
        "ownership",
        "partnership_count",
        "state",
        "updated",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = [PublicationStateFilter, "kind", "ownership", ("honours", RelatedFilter)]
    autocomplete_fields = ["honours"]
    inlines = [NotableAlumnusInline, PartnershipInline, FigureInline]
    ordering = ["pinyin", "pk"]  # kept under the Count annotation (GROUP BY drops Meta.ordering)
    fieldsets = [
        (None, {"fields": ["name", "name_en", "aliases", "kind", "ownership", "founded_year"]}),
        (_("What the sources say"), {"fields": ["summary", "description", "honours"]}),
        (_("Contact"), {"fields": ["address", "website"]}),
        (None, {"fields": ["order"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_partnerships=Count("partnerships"))

    @admin.display(description=_("partnerships"), ordering="_partnerships")
    def partnership_count(self, obj):
        return obj._partnerships


@admin.register(Park)
class ParkAdmin(WithThumbnailMixin, PublishableAdmin):
    list_display = [
        "thumbnail",
        "name",
        "is_industrial_park",
        "is_functional_project",
        "location",
        "state",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = [PublicationStateFilter, "is_industrial_park", "is_functional_project"]
    inlines = [FigureInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "aliases",
                    "is_industrial_park",
                    "is_functional_project",
                    "location",
                ]
            },
        ),
        (_("What the sources say"), {"fields": ["summary", "focus", "description"]}),
        (None, {"fields": ["order"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Enterprise)
class EnterpriseAdmin(StaffImportExportMixin, WithThumbnailMixin, PublishableAdmin):
    resource_classes = [EnterpriseResource]
    list_display = [
        "thumbnail",
        "name",
        "relation",
        "park",
        "cluster",
        "is_fortune_global_500",
        "state",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = [
        PublicationStateFilter,
        "relation",
        "is_fortune_global_500",
        ("cluster", RelatedFilter),
        ("park", RelatedFilter),
    ]
    list_select_related = ["park", "cluster"]
    autocomplete_fields = ["park", "cluster", "honours"]
    inlines = [PartnershipInline, FigureInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "aliases",
                    "relation",
                    "park",
                    "cluster",
                    "is_fortune_global_500",
                ]
            },
        ),
        (_("What the sources say"), {"fields": ["summary", "description", "honours", "website"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Partnership)
class PartnershipAdmin(StaffImportExportMixin, PublishableAdmin):
    resource_classes = [PartnershipResource]
    list_display = ["name", "kind", "institution", "enterprise", "state", "updated"]
    list_filter = [PublicationStateFilter, "kind", ("institution", RelatedFilter)]
    list_select_related = ["institution", "enterprise"]
    autocomplete_fields = ["institution", "enterprise"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "aliases",
                    "kind",
                    "institution",
                    "enterprise",
                    "description",
                ]
            },
        ),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Figure)
class FigureAdmin(FigureHelpMixin, PublishableAdmin):
    list_display = [
        "name",
        "as_written",
        "scope",
        "subject",
        "figure_status",
        "horizon",
        "is_headline",
        "state",
    ]
    list_filter = [PublicationStateFilter, "scope", "figure_status", "is_headline", "qualifier"]
    list_select_related = ["institution", "park", "enterprise", "cluster"]
    autocomplete_fields = ["institution", "park", "enterprise", "cluster", "article"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "value",
                    "value_max",
                    "unit",
                    "unit_en",
                    "qualifier",
                    "group_digits",
                    "as_written",
                ]
            },
        ),
        (_("Whose figure"), {"fields": ["scope", "institution", "park", "enterprise", "cluster"]}),
        (
            _("Status and time"),
            {
                "fields": [
                    "figure_status",
                    "horizon",
                    "horizon_en",
                    "period",
                    "period_en",
                    "context",
                ]
            },
        ),
        (_("Source and display"), {"fields": ["article", "is_headline", "order"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]

    readonly_fields = [*PublishableAdmin.readonly_fields, "as_written"]

    @admin.display(description=_("as written"))
    def as_written(self, obj):
        if obj is None or obj.value is None:
            return "—"  # a new figure: nothing saved yet
        return format_chinese(obj.value, obj.unit, obj.qualifier, obj.value_max, obj.group_digits)

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.subject or obj.get_scope_display()


@admin.register(Article)
class ArticleAdmin(WithThumbnailMixin, PublishableAdmin):
    list_display = ["thumbnail", "name", "year", "date", "byline", "state", "updated"]
    list_display_links = ["thumbnail", "name"]
    list_filter = [PublicationStateFilter, "year"]
    autocomplete_fields = ["institutions", "enterprises", "parks"]
    inlines = [SectionInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "subtitle", "summary"]}),
        (
            _("Date and credits"),
            {"fields": ["year", "date", "byline", "picture_credit", "source_name"]},
        ),
        (_("Mentions"), {"fields": ["institutions", "enterprises", "parks"]}),
        PublishableAdmin.publication_fields,
        PublishableAdmin.record_fields,
    ]


@admin.register(Photo)
class PhotoAdmin(PhotoAdminMixin, StaffAdmin):
    list_display = [
        "thumbnail",
        "caption",
        "credit",
        "article",
        "shows",
        "is_placeholder",
        "updated",
    ]
    list_display_links = ["thumbnail", "caption"]
    list_filter = ["is_placeholder", ("article", RelatedFilter)]
    list_select_related = ["article", "institution", "enterprise", "park"]
    search_fields = ["caption"]
    search_help_text = _(
        "Search by caption, credit or alt text, or by the name (Chinese, pinyin "
        "or initials) of the article or place it shows."
    )
    autocomplete_fields = ["article", "institution", "enterprise", "park"]
    readonly_fields = ["thumbnail", "width", "height"]
    fieldsets = [
        (None, {"fields": ["thumbnail", "image", "width", "height"]}),
        (
            _("Description"),
            {"fields": ["caption", "caption_en", "credit", "alt_text", "is_placeholder"]},
        ),
        (
            _("Where it shows"),
            {"fields": ["article", "institution", "enterprise", "park", "order", "key"]},
        ),
    ]

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj if obj and obj.pk else None)

    @admin.display(description=_("shows"))
    def shows(self, obj):
        return obj.institution or obj.enterprise or obj.park or "—"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        key = to_key(term) or term  # an empty key would be in every row's keys
        return queryset.filter(
            Q(caption__icontains=term)
            | Q(caption_en__icontains=term)
            | Q(credit__icontains=term)
            | Q(alt_text__icontains=term)
            | Q(article__search_text__contains=key)
            | Q(institution__search_text__contains=key)
            | Q(enterprise__search_text__contains=key)
            | Q(park__search_text__contains=key)
        ), False
