from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import Publishable, PublishableQuerySet, count_of


class PartnershipQuerySet(PublishableQuerySet):
    def visible(self):
        """Published partnerships whose institution and enterprise, when set, are published."""
        return self.published().filter(
            self.optional_side_q("institution"), self.optional_side_q("enterprise")
        )

    def with_sides(self):
        return self.select_related("institution", "enterprise")


def partnership_count(own_side, other_side):
    """Published partnerships of the outer row whose other side is empty or published."""
    return count_of(
        Partnership.objects.published().filter(PublishableQuerySet.optional_side_q(other_side)),
        own_side,
    )


class PartnershipKind(models.TextChoices):
    JOINT_COLLEGE = "joint_college", _("Jointly built college")
    ORDER_CLASS = "order_class", _("Order class")
    TRAINING_BASE = "training_base", _("Training base")
    TALENT_PROGRAMME = "talent_programme", _("Talent programme")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    COOPERATION = "cooperation", _("Cooperation agreement")


class Partnership(Publishable):
    """A tie between an institution and an enterprise (校企合作), under its own name."""

    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    institution = models.ForeignKey(
        "directory.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        help_text=_("Empty when the source speaks of the city's schools together."),
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        help_text=_("Empty when the source names no company."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("school–enterprise partnership")
        verbose_name_plural = _("school–enterprise partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(institution__isnull=False) | models.Q(enterprise__isnull=False),
                name="partnership_has_a_side",
                violation_error_message=_("A partnership needs an institution or an enterprise."),
            )
        ]

    def get_absolute_url(self):
        return url_for("directory:partnership_list") + f"#{self.slug}"
