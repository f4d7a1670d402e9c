"""What every public model shares: name, pinyin keys, slug, publication state, timestamps."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import pinyin, search_keys
from directory.languages import name_in_page_language


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


LAST_YEAR = 2100
PUBLISH_YEARS = (1990, LAST_YEAR)


# A small integer everywhere: SQLite would store more, and PostgreSQL then refuses the backup.
ORDER_RANGE = [MaxValueValidator(32767)]


def year_range(first):
    """Validators of a year: SQLite stores any integer, and 99999999999年 is a typing slip."""
    return [MinValueValidator(first), MaxValueValidator(LAST_YEAR)]


def validate_date_year(value):
    """A news date within 1900–2100: year 1 or 9999 is a typing slip, and breaks the feed."""
    if value is not None and not (1900 <= value.year <= LAST_YEAR):
        raise ValidationError(
            _("Choose a date between the years %(first)s and %(last)s."),
            code="date_range",
            params={"first": 1900, "last": LAST_YEAR},
        )


def validate_publish_year(value):
    """Year 1 in Beijing time is before year 1 in UTC: such a time cannot even be stored."""
    if value is not None and not (PUBLISH_YEARS[0] <= value.year <= PUBLISH_YEARS[1]):
        raise ValidationError(
            _("Choose a time between the years %(first)s and %(last)s."),
            code="publish_at_range",
            params={"first": PUBLISH_YEARS[0], "last": PUBLISH_YEARS[1]},
        )


PUBLICATION_ACTIONS = ("publish", "unpublish")


def publication_rights(user, model):
    """The publication permissions ("publish", "unpublish") ``user`` holds for ``model``."""
    opts = model._meta
    return {
        action
        for action in PUBLICATION_ACTIONS
        if user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
    }


def publication_rights_needed(before, after):
    """The permissions a change of publication needs, from ``before`` to ``after``.

    Each is a (status, publish_at) pair; ``before`` is None for a new record (a draft).
    Publishing needs "publish", withdrawing "unpublish". A draft's time is only a plan; the
    time of a published record decides when visitors see it, and moving it can show it
    sooner or hide it longer: that needs both. Times less than a second apart are the same
    (forms and import files hold whole seconds).
    """
    status, time = before or (Status.DRAFT, None)
    new_status, new_time = after
    if status != Status.PUBLISHED:
        return {"publish"} if new_status == Status.PUBLISHED else set()
    if new_status != Status.PUBLISHED:
        return {"unpublish"}
    if time is None or new_time is None:
        moved = (time is None) != (new_time is None)
    else:
        moved = abs((time - new_time).total_seconds()) >= 1
    return set(PUBLICATION_ACTIONS) if moved else set()


def count_of(related, field):
    """How many rows of the queryset ``related`` point at the outer row through ``field``.

    A correlated subquery rather than a joined Count(): no GROUP BY over every listed
    column, and a paginator's count() drops it and stays a plain COUNT(*).
    """
    counted = (
        related.filter(**{field: models.OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(counted), 0)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What visitors may see: published, and not scheduled for later."""
        return self.filter(self.published_q())

    def visible_to(self, user):
        """Everything for staff who may view this model (to preview drafts), else published()."""
        opts = self.model._meta
        if (
            user is not None
            and user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        ):
            return self.all()
        return self.published()

    def search(self, query):
        """Match every term of the query against Chinese name, aliases, pinyin and initials."""
        qs = self
        for term in search_keys.query_terms(query):
            qs = qs.filter(search_keys.term_q(term))
        return qs

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    @staticmethod
    def published_q(prefix=""):
        """Q for published rows; with a prefix ("partnerships__") for related rows."""
        return models.Q(**{f"{prefix}status": Status.PUBLISHED}) & (
            models.Q(**{f"{prefix}publish_at__isnull": True})
            | models.Q(**{f"{prefix}publish_at__lte": timezone.now()})
        )

    @classmethod
    def optional_side_q(cls, field):
        """Q for rows whose optional foreign key ``field`` is empty or published."""
        return models.Q(**{f"{field}__isnull": True}) | cls.published_q(f"{field}__")

    def initials_in_use(self):
        """The set of A–Z index letters these rows file under, in one query."""
        return set(self.order_by().values_list("initial", flat=True).distinct())


class Publishable(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("English name"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; leave empty to show the Chinese name."),
    )
    aliases = models.CharField(
        _("other names"),
        max_length=300,
        blank=True,
        help_text=_("Short or former names, separated by commas (e.g. 融智学院). Used by search."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The address of the page. Filled from the pinyin of the name when empty."),
    )
    pinyin = models.CharField(_("pinyin"), max_length=400, editable=False, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=100, editable=False)
    initial = models.CharField(_("index letter"), max_length=1, editable=False, db_index=True)
    search_text = models.TextField(_("search keys"), editable=False, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        validators=[validate_publish_year],
        help_text=_("Leave empty to publish at once; a future time keeps it hidden until then."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["pinyin"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        """The name in the visitor's language, falling back to Chinese."""
        return name_in_page_language(self.name, self.name_en)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED and (
            self.publish_at is None or self.publish_at <= timezone.now()
        )

    def alias_list(self):
        return search_keys.split_aliases(self.aliases)

    def refresh_keys(self):
        """Derive pinyin, initials, index letter, search keys and (when empty) the slug."""
        self.name = self.name.strip()
        self.pinyin = pinyin.to_pinyin(self.name)[:400]
        self.initials = pinyin.to_initials(self.name)[:100]
        self.initial = pinyin.initial_letter(self.name)
        self.search_text = search_keys.search_text_for(self.name, self.name_en, self.aliases)
        if not self.slug:
            self.slug = self.unique_slug(pinyin.to_slug(self.name) or "item")

    def unique_slug(self, base):
        slug, n = base, 2
        while type(self)._default_manager.filter(slug=slug).exclude(pk=self.pk).exists():
            slug = f"{base[:90]}-{n}"
            n += 1
        return slug

    def save(self, *args, **kwargs):
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "pinyin",
                "initials",
                "initial",
                "search_text",
                "slug",
            }
        super().save(*args, **kwargs)
