from django.urls import path
from django.views.decorators.http import require_safe

from directory.views import (
    compare,
    enterprises,
    figures,
    home,
    institutions,
    news,
    parks,
    partnerships,
    search,
)

app_name = "directory"
urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("institutions/", institutions.InstitutionListView.as_view(), name="institution_list"),
    path(
        "institutions/<slug:slug>/",
        institutions.InstitutionDetailView.as_view(),
        name="institution_detail",
    ),
    path("enterprises/", enterprises.EnterpriseListView.as_view(), name="enterprise_list"),
    path(
        "enterprises/<slug:slug>/",
        enterprises.EnterpriseDetailView.as_view(),
        name="enterprise_detail",
    ),
    path("parks/", parks.ParkListView.as_view(), name="park_list"),
    path("parks/<slug:slug>/", parks.ParkDetailView.as_view(), name="park_detail"),
    path("partnerships/", partnerships.PartnershipListView.as_view(), name="partnership_list"),
    path("news/", news.ArticleListView.as_view(), name="article_list"),
    path("news/feed/", require_safe(news.LatestArticlesFeed()), name="article_feed"),
    path("news/<slug:slug>/", news.ArticleDetailView.as_view(), name="article_detail"),
    path("figures/", figures.FigureListView.as_view(), name="figure_list"),
    path("figures/<slug:slug>/", figures.figure_permalink, name="figure_detail"),
    path("compare/", compare.CompareView.as_view(), name="compare"),
    path("search/", search.SearchView.as_view(), name="search"),
]
