from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import Publishable, PublishableQuerySet
from .prefetches import public_articles, public_figures, public_honours, public_partnerships


class Relation(models.TextChoices):
    SETTLED = "settled", _("Settled in a park")
    PARTNER = "partner", _("Partner of the schools")
    OPERATOR = "operator", _("Telecom operator")
    TRAINING = "training", _("Training provider")
    DEVELOPER = "developer", _("Real-estate developer")


class EnterpriseQuerySet(PublishableQuerySet):
    def with_partnership_count(self):
        from .partnerships import partnership_count

        return self.annotate(partnership_count=partnership_count("enterprise", "institution"))

    def with_listing_data(self):
        """Park and cluster joined in (check ``is_published`` before showing them)."""
        return self.with_partnership_count().select_related("park", "cluster")

    def with_detail_data(self, articles=6):
        return self.with_listing_data().prefetch_related(
            "photos",
            public_honours(),
            public_figures(),
            public_partnerships(),
            public_articles(articles),
        )


class Enterprise(Publishable):
    """A company settled in a park, a partner, an operator or a developer (企业)."""

    relation = models.CharField(_("relation to the city"), max_length=12, choices=Relation.choices)
    park = models.ForeignKey(
        "directory.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    cluster = models.ForeignKey(
        "directory.Cluster",
        verbose_name=_("industry cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    is_fortune_global_500 = models.BooleanField(
        _("Fortune Global 500"),
        default=False,
        help_text=_("Only when a source names it among the world's 500 largest companies."),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    honours = models.ManyToManyField(
        "directory.Honour",
        verbose_name=_("honours and titles"),
        blank=True,
        related_name="enterprises",
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def get_absolute_url(self):
        return url_for("directory:enterprise_detail", self.slug)
