from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import ORDER_RANGE, Publishable, PublishableQuerySet, count_of
from .prefetches import public_articles, public_figures


class ParkQuerySet(PublishableQuerySet):
    def with_listing_data(self):
        """Annotate ``enterprise_count`` (published); prefetch ``public_clusters``."""
        from .enterprises import Enterprise
        from .taxonomy import Cluster

        return self.annotate(
            enterprise_count=count_of(Enterprise.objects.published(), "park")
        ).prefetch_related(
            models.Prefetch(
                "clusters", queryset=Cluster.objects.published(), to_attr="public_clusters"
            )
        )

    def with_detail_data(self, enterprises=24, articles=6):
        """The listing data plus figures, photos, news and the first ``enterprises`` enterprises."""
        from .enterprises import Enterprise

        return self.with_listing_data().prefetch_related(
            "photos",
            public_figures(),
            models.Prefetch(
                "enterprises",
                queryset=Enterprise.objects.published().select_related("cluster")[:enterprises],
                to_attr="public_enterprises",
            ),
            public_articles(articles),
        )


class Park(Publishable):
    """An industrial park (产业园区) or functional project (功能性项目), or both at once."""

    is_industrial_park = models.BooleanField(_("industrial park"), default=False)
    is_functional_project = models.BooleanField(_("functional project"), default=False)
    location = models.CharField(_("location"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    focus = models.TextField(
        _("focus"), blank=True, help_text=_("The industries or services it concentrates on.")
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)

    objects = ParkQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("park or functional project")
        verbose_name_plural = _("parks and functional projects")
        ordering = ["order", "pinyin"]

    def get_absolute_url(self):
        return url_for("directory:park_detail", self.slug)

    @property
    def kind_labels(self):
        labels = []
        if self.is_industrial_park:
            labels.append(_("Industrial park"))
        if self.is_functional_project:
            labels.append(_("Functional project"))
        return labels
