from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import ORDER_RANGE, Publishable, PublishableQuerySet, year_range
from .prefetches import public_articles, public_figures, public_honours, public_partnerships


class InstitutionKind(models.TextChoices):
    TECHNICIAN_COLLEGE = "technician", _("Technician college")
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational college")
    INDEPENDENT_UNDERGRADUATE = "independent", _("Independent undergraduate college")
    SECONDARY_VOCATIONAL = "secondary", _("Secondary vocational school")
    VOCATIONAL_CENTRE = "centre", _("Vocational education centre")
    ENTERPRISE_COLLEGE = "enterprise", _("Enterprise college")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    UNSTATED = "unstated", _("Not stated")


class InstitutionQuerySet(PublishableQuerySet):
    def with_partnership_count(self):
        from .partnerships import partnership_count

        return self.annotate(partnership_count=partnership_count("institution", "enterprise"))

    def with_listing_data(self):
        """What a card shows: published honours (``public_honours``) and the partnership count."""
        return self.with_partnership_count().prefetch_related(public_honours())

    def for_comparison(self):
        """The listing data plus alumni and ``public_figures``: what /compare/ shows."""
        return self.with_listing_data().prefetch_related("alumni", public_figures())

    def with_detail_data(self, articles=6):
        """Everything the detail and compare pages show, each relation in one query.

        ``public_figures``, ``public_partnerships`` (both sides visible), ``public_articles``
        (the newest ``articles`` published news that mention it), plus alumni and photos.
        """
        return self.with_listing_data().prefetch_related(
            "alumni",
            "photos",
            public_figures(),
            public_partnerships(),
            public_articles(articles),
        )


class Institution(Publishable):
    """A college, technician college or school that has moved into the city (院校)."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    ownership = models.CharField(
        _("public or private"),
        max_length=10,
        choices=Ownership.choices,
        default=Ownership.UNSTATED,
        help_text=_("Leave “not stated” unless a source says so."),
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=year_range(1800)
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for cards and lists.")
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    honours = models.ManyToManyField(
        "directory.Honour",
        verbose_name=_("honours and platforms"),
        blank=True,
        related_name="institutions",
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        validators=ORDER_RANGE,
        help_text=_("Position in the source's list of institutions."),
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def get_absolute_url(self):
        return url_for("directory:institution_detail", self.slug)


class NotableAlumnusManager(models.Manager):
    def get_by_natural_key(self, institution_slug, name):
        return self.get(institution__slug=institution_slug, name=name)


class NotableAlumnus(models.Model):
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="alumni",
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("known as"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)

    objects = NotableAlumnusManager()

    class Meta:
        verbose_name = _("notable alumnus")
        verbose_name_plural = _("notable alumni")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="unique_alumnus")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.institution.slug, self.name)

    natural_key.dependencies = ["directory.institution"]
