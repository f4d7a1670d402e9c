from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.links import url_for

from .base import ORDER_RANGE, Publishable, PublishableQuerySet


class Qualifier(models.TextChoices):
    """How the source hedges a number. Where it goes is fixed by Chinese usage."""

    NONE = "", _("exact")
    ABOUT = "about", _("about (约)")
    NEARLY = "nearly", _("nearly (近)")
    OVER = "over", _("over (超)")
    MORE_THAN = "more_than", _("more than (超过)")
    AT_LEAST = "at_least", _("at least (不低于)")
    PLUS = "plus", _("odd (余)")
    PLUS_DUO = "plus_duo", _("odd (多)")
    AND_ABOVE = "and_above", _("and above (以上)")


class Scope(models.TextChoices):
    CITY = "city", _("The city (高职城)")
    DISTRICT = "district", _("Banan District")
    INSTITUTION = "institution", _("An institution")
    PARK = "park", _("A park or functional project")
    ENTERPRISE = "enterprise", _("An enterprise")
    CLUSTER = "cluster", _("An industry cluster")


class FigureStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    TARGET = "target", _("Target")


# The field naming the subject a figure of each scope describes (city and district figures
# have none), and which of those subjects have an editorial ``order``.
SUBJECT_FIELDS = {
    Scope.INSTITUTION: "institution",
    Scope.PARK: "park",
    Scope.ENTERPRISE: "enterprise",
    Scope.CLUSTER: "cluster",
}
ORDERED_SUBJECTS = {"institution", "park", "cluster"}


def shared_source(figures):
    """The published article all the figures come from, when it is one; else None."""
    articles = {figure.article_id for figure in figures}
    if len(articles) != 1 or None in articles:
        return None
    article = figures[0].article
    return article if article.is_published else None


class FigureQuerySet(PublishableQuerySet):
    def with_subjects(self):
        return self.select_related("institution", "park", "enterprise", "cluster", "article")

    def visible(self):
        """Published figures whose subject, when they have one, is published too."""
        # Joins, not four `__in` subqueries: the same rows, and a third less time spent
        # building the query.
        subjects = models.Q()
        for field in SUBJECT_FIELDS.values():
            subjects &= self.optional_side_q(field)
        return self.published().filter(subjects)

    def subject_index(self, scope_order):
        """The subjects these figures describe, in page order, and how many figures.

        Returns ``(keys, total, targets)``: keys are ``(scope, subject pk or None)``, ordered
        by scope as in ``scope_order``, then the subject's order, pinyin and pk. Read as light
        rows in one query, so the figures page loads only the figures of its own subjects.
        """
        columns = ["scope", "figure_status"]
        for field in SUBJECT_FIELDS.values():
            columns += [f"{field}_id", f"{field}__pinyin"]
            if field in ORDERED_SUBJECTS:
                columns.append(f"{field}__order")
        rank = {scope: i for i, scope in enumerate(scope_order)}
        sort_keys = {}
        total = targets = 0
        for row in self.order_by().values(*columns):
            total += 1
            targets += row["figure_status"] == FigureStatus.TARGET
            field = SUBJECT_FIELDS.get(row["scope"])
            key = (row["scope"], row[f"{field}_id"] if field else None)
            if key not in sort_keys:
                sort_keys[key] = (
                    rank.get(row["scope"], len(rank)),
                    row.get(f"{field}__order", 0) if field else 0,
                    row[f"{field}__pinyin"] if field else "",
                    key[1] or 0,
                )
        return sorted(sort_keys, key=sort_keys.get), total, targets

    def of_subjects(self, keys):
        """The figures of the given ``subject_index()`` keys (none for no keys)."""
        wanted = {}
        for scope, pk in keys:
            wanted.setdefault(scope, []).append(pk)
        q = models.Q()
        for scope, pks in wanted.items():
            if scope in SUBJECT_FIELDS:
                q |= models.Q(scope=scope, **{f"{SUBJECT_FIELDS[scope]}_id__in": pks})
            else:
                q |= models.Q(scope=scope)
        return self.filter(q) if wanted else self.none()


# SQLite keeps decimals as floats: 16 integer digits come back rounded to 17, which no
# longer fit the field. A quadrillion is far beyond any figure of the city.
VALUE_RANGE = [
    MinValueValidator(Decimal("-999999999999999")),
    MaxValueValidator(Decimal("999999999999999")),
]


class Figure(Publishable):
    """One number of the source, with unit, qualifier, subject and status (关键数据)."""

    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, validators=VALUE_RANGE)
    value_max = models.DecimalField(
        _("upper value"),
        max_digits=20,
        decimal_places=4,
        validators=VALUE_RANGE,
        null=True,
        blank=True,
        help_text=_("Only for a range such as 1家至2家."),
    )
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("In Chinese, e.g. 名, 元, 亩, %.")
    )
    unit_en = models.CharField(_("English unit"), max_length=40, blank=True)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, blank=True, default=""
    )
    group_digits = models.BooleanField(
        _("write with 万/亿"),
        default=True,
        help_text=_("Untick to print the number in full, as the source does for 30000例/月."),
    )
    scope = models.CharField(_("whose figure"), max_length=12, choices=Scope.choices)
    institution = models.ForeignKey(
        "directory.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    park = models.ForeignKey(
        "directory.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    cluster = models.ForeignKey(
        "directory.Cluster",
        verbose_name=_("industry cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    figure_status = models.CharField(
        _("achieved or target"),
        max_length=10,
        choices=FigureStatus.choices,
        default=FigureStatus.ACHIEVED,
    )
    horizon = models.CharField(
        _("horizon"), max_length=50, blank=True, help_text=_("For targets: 至2030年, 3–5年 …")
    )
    horizon_en = models.CharField(
        _("English horizon"), max_length=50, blank=True, help_text=_("e.g. by 2030, in 3–5 years")
    )
    period = models.CharField(
        _("period"), max_length=50, blank=True, help_text=_("What time it covers: 近5年来, 每年 …")
    )
    period_en = models.CharField(
        _("English period"), max_length=50, blank=True, help_text=_("e.g. over the past 5 years")
    )
    context = models.CharField(
        _("context"),
        max_length=300,
        blank=True,
        help_text=_("The project or programme the figure belongs to, in the source's words."),
    )
    article = models.ForeignKey(
        "directory.Article",
        verbose_name=_("source article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )
    is_headline = models.BooleanField(_("headline figure"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)

    objects = FigureQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["order", "pk"]

    def get_absolute_url(self):
        return url_for("directory:figure_detail", self.slug)

    @property
    def subject_key(self):
        """(scope, pk of the subject for that scope or None), as in ``subject_index()``."""
        field = SUBJECT_FIELDS.get(self.scope)
        return (self.scope, getattr(self, f"{field}_id") if field else None)

    def clean(self):
        subject_field = SUBJECT_FIELDS.get(self.scope)
        if subject_field and getattr(self, f"{subject_field}_id") is None:
            raise ValidationError(
                {subject_field: _("Choose whose figure this is, or change “whose figure”.")}
            )
        others = [
            self._meta.get_field(field).verbose_name
            for field in SUBJECT_FIELDS.values()
            if field != subject_field and getattr(self, f"{field}_id") is not None
        ]
        if others:
            raise ValidationError(
                {
                    "scope": _(
                        "“Whose figure” does not match: it is also attached to %(others)s. "
                        "Choose the matching “whose figure”, or clear that field."
                    )
                    % {"others": "、".join(str(name) for name in others)}
                }
            )
        # value is None when the form could not take it: that error is reported on its own.
        if None not in (self.value, self.value_max) and self.value_max < self.value:
            raise ValidationError({"value_max": _("The upper value must not be below the value.")})

    @property
    def subject(self):
        """Whose figure it is, as its scope says (city and district figures have none)."""
        field = SUBJECT_FIELDS.get(self.scope)
        return getattr(self, field) if field else None

    @property
    def is_target(self):
        return self.figure_status == FigureStatus.TARGET
