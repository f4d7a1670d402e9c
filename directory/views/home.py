"""The home page: what the city is, its headline figures, institutions, clusters, news."""

from django.views.generic import TemplateView

from directory.models import Article, Cluster, Figure, Institution, Park

# The home page is an overview of bounded size, however large the directory grows; each
# section links to its full list.
LATEST_NEWS = 6
HOME_INSTITUTIONS = 12
HOME_CLUSTERS = 6
HOME_PARKS = 6


class HomeView(TemplateView):
    template_name = "directory/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institutions = Institution.objects.published()
        context.update(
            headline_figures=Figure.objects.visible().filter(is_headline=True),
            institutions=institutions.with_listing_data().order_by("order", "pinyin", "pk")[
                :HOME_INSTITUTIONS
            ],
            institution_count=institutions.count(),
            clusters=Cluster.objects.published().with_enterprises()[:HOME_CLUSTERS],
            parks=Park.objects.published().with_listing_data()[:HOME_PARKS],
            latest_news=Article.objects.published()
            .newest_first()
            .with_listing_data()[:LATEST_NEWS],
        )
        return context
