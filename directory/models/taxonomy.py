from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import ORDER_RANGE, Publishable, PublishableQuerySet, count_of


class ClusterQuerySet(PublishableQuerySet):
    def with_enterprises(self, limit=8):
        """``enterprise_count`` (published) and ``public_enterprises``: the first ``limit``."""
        from .enterprises import Enterprise

        return self.annotate(
            enterprise_count=count_of(Enterprise.objects.published(), "cluster")
        ).prefetch_related(
            models.Prefetch(
                "enterprises",
                queryset=Enterprise.objects.published()[:limit],
                to_attr="public_enterprises",
            )
        )


class Honour(Publishable):
    """A title or platform an institution or enterprise holds: 世赛中国集训基地 …"""

    description = models.TextField(_("description"), blank=True)

    class Meta(Publishable.Meta):
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def get_absolute_url(self):
        return url_for("directory:institution_list") + f"?honour={self.slug}"


class Cluster(Publishable):
    """A group of enterprises by industry: 医疗大数据企业集群 …"""

    summary = models.TextField(_("summary"), blank=True)
    park = models.ForeignKey(
        "directory.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clusters",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)

    objects = ClusterQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("industry cluster")
        verbose_name_plural = _("industry clusters")
        ordering = ["order", "pinyin"]

    def get_absolute_url(self):
        return url_for("directory:enterprise_list") + f"?cluster={self.slug}"
