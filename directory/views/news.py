"""News: the archive (by year, by the entities mentioned, by keyword), the article, the RSS feed."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.models import Article
from directory.news_filters import ArticleFilterSet
from directory.sanitize import strip_control_characters
from directory.views.mixins import DirectoryListMixin, PhotosMixin, PublishedObjectMixin, crumbs

NEWS_PER_PAGE = 10
FEED_SIZE = 20


class ArticleListView(DirectoryListMixin, FilterView):
    model = Article
    filterset_class = ArticleFilterSet
    paginate_by = NEWS_PER_PAGE
    template_name = "directory/article_list.html"
    context_object_name = "articles"
    list_title = gettext_lazy("News")
    az_index = False  # news is browsed by year, not A–Z

    def get_queryset(self):
        return Article.objects.published().newest_first().with_listing_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        year = ""
        if filterset.is_bound and "year" not in filterset.errors:
            year = filterset.form.cleaned_data.get("year") or ""
        context.update(year_counts=filterset.year_counts, selected_year=year)
        return context


class ArticleDetailView(PublishedObjectMixin, PhotosMixin, DetailView):
    model = Article
    template_name = "directory/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return self.shown().with_detail_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        neighbours = Article.objects.published().only("slug", "name", "name_en", "year", "date")
        context.update(
            older=neighbours.older_than(article).first(),
            newer=neighbours.newer_than(article).first(),
            crumbs=crumbs(
                (_("News"), reverse("directory:article_list")), (article.display_name, None)
            ),
        )
        return context


class LatestArticlesFeed(Feed):
    """The latest published news, in the language of the address (/news/feed/, /en/news/feed/)."""

    def title(self):
        return _("News — Chongqing Higher Vocational Education City")

    def link(self):
        return reverse("directory:article_list")

    def description(self):
        return _("The latest news of Chongqing Higher Vocational Education City.")

    def items(self):
        return Article.objects.published().newest_first()[:FEED_SIZE]

    # Text saved before control characters were stripped on save would break the XML.
    def item_title(self, item):
        return strip_control_characters(item.display_name)

    def item_description(self, item):
        return strip_control_characters(item.summary or item.subtitle)

    def item_pubdate(self, item):
        # Only a known day becomes a date; a year alone is never dressed up as one.
        if item.date is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(12)))

    def item_author_name(self, item):
        return strip_control_characters(item.byline) or None
