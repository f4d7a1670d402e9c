from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from directory.images import unguessable_name
from directory.links import url_for
from directory.pinyin import to_slug

from .base import (
    ORDER_RANGE,
    Publishable,
    PublishableQuerySet,
    validate_date_year,
    year_range,
)
from .enterprises import Enterprise
from .figures import Figure
from .institutions import Institution
from .parks import Park


class ArticleQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-year", models.F("date").desc(nulls_last=True), "-pk")

    def oldest_first(self):
        """The exact reverse of newest_first(), for "the next newer" look-ups."""
        return self.order_by("year", models.F("date").asc(nulls_first=True), "pk")

    def with_listing_data(self):
        """What a news card shows beyond the article's own fields: its photos."""
        return self.prefetch_related("photos")

    def with_detail_data(self):
        """Sections, photos, the visible figures taken from the article, and the entities it
        mentions, each prefetched through published() so drafts never leak."""
        return self.prefetch_related(
            "sections",
            "photos",
            Prefetch("figures", queryset=Figure.objects.visible().with_subjects()),
            Prefetch("institutions", queryset=Institution.objects.published()),
            Prefetch("enterprises", queryset=Enterprise.objects.published()),
            Prefetch("parks", queryset=Park.objects.published()),
        )

    def year_counts(self):
        """[{"year": 2020, "count": 3}, …], newest year first, in one query."""
        return self.order_by().values("year").annotate(count=Count("pk")).order_by("-year")

    def older_than(self, article):
        """Articles after `article` in newest_first() order (year, date nulls last, pk)."""
        same_year = Q(year=article.year)
        if article.date is None:
            later_in_order = same_year & Q(date__isnull=True, pk__lt=article.pk)
        else:
            later_in_order = same_year & (
                Q(date__lt=article.date)
                | Q(date__isnull=True)
                | Q(date=article.date, pk__lt=article.pk)
            )
        return self.filter(Q(year__lt=article.year) | later_in_order).newest_first()

    def newer_than(self, article):
        """Articles before `article` in newest_first() order, the nearest first."""
        same_year = Q(year=article.year)
        if article.date is None:
            earlier_in_order = same_year & (
                Q(date__isnull=False) | Q(date__isnull=True, pk__gt=article.pk)
            )
        else:
            earlier_in_order = same_year & (
                Q(date__gt=article.date) | Q(date=article.date, pk__gt=article.pk)
            )
        return self.filter(Q(year__gt=article.year) | earlier_in_order).oldest_first()


class Article(Publishable):
    """A news item (新闻). `name` holds the title; the date may be known only to the year."""

    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    byline = models.CharField(_("by-line"), max_length=200, blank=True)
    picture_credit = models.CharField(
        _("picture credit"),
        max_length=300,
        blank=True,
        help_text=_("Who provided the pictures, e.g. 重庆高职城; shown as “图片由…提供”."),
    )
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_range(1900))
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        validators=[validate_date_year],
        help_text=_("Leave empty when only the year is known."),
    )
    institutions = models.ManyToManyField(
        "directory.Institution",
        verbose_name=_("institutions mentioned"),
        blank=True,
        related_name="articles",
    )
    enterprises = models.ManyToManyField(
        "directory.Enterprise",
        verbose_name=_("enterprises mentioned"),
        blank=True,
        related_name="articles",
    )
    parks = models.ManyToManyField(
        "directory.Park",
        verbose_name=_("parks mentioned"),
        blank=True,
        related_name="articles",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-year", "-pk"]

    def get_absolute_url(self):
        return url_for("directory:article_detail", self.slug)

    @property
    def title(self):
        return self.display_name


class ArticleSectionManager(models.Manager):
    def get_by_natural_key(self, article_slug, order):
        return self.get(article__slug=article_slug, order=order)


class ArticleSection(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    body = models.TextField(_("text"), help_text=_("Paragraphs of the section."))

    objects = ArticleSectionManager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="unique_section_order")
        ]

    def __str__(self):
        return self.heading or f"§{self.order}"

    def natural_key(self):
        return (self.article.slug, self.order)

    natural_key.dependencies = ["directory.article"]


def photo_upload_to(instance, filename):
    """photos/<random folder>/<name>: a photo's address cannot be guessed before it is
    published (directory/images.py)."""
    return unguessable_name(filename)


class PhotoManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Photo(models.Model):
    """An image with caption, credit and alt text (图片)."""

    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("A stable identifier, also used for the file name of generated images."),
    )
    image = models.ImageField(
        _("image"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    caption = models.CharField(_("caption"), max_length=300)
    caption_en = models.CharField(_("English caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("A generated stand-in, not a real photograph."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    institution = models.ForeignKey(
        "directory.Institution",
        verbose_name=_("institution shown"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise shown"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    park = models.ForeignKey(
        "directory.Park",
        verbose_name=_("park shown"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=ORDER_RANGE)
    # Written by directory.renditions when the renditions are made:
    # {"source": image name, alias: [file name, width, height], …}. Pages read it instead of
    # asking the storage whether each file exists.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PhotoManager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption

    def natural_key(self):
        return (self.key,)

    def save(self, *args, **kwargs):
        if not self.key:
            base = to_slug(self.caption) or "photo"
            key, n = base, 2
            while Photo.objects.filter(key=key).exclude(pk=self.pk).exists():
                key, n = f"{base[:90]}-{n}", n + 1
            self.key = key
        super().save(*args, **kwargs)
