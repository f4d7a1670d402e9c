"""Staff previews of drafts: include with path("preview/", include("directory.preview_urls"))
inside i18n_patterns in config/urls.py."""

from django.urls import path

from directory.views import preview

app_name = "preview"
urlpatterns = [
    path("news/<slug:slug>/", preview.ArticlePreviewView.as_view(), name="article"),
    path("institutions/<slug:slug>/", preview.InstitutionPreviewView.as_view(), name="institution"),
    path("enterprises/<slug:slug>/", preview.EnterprisePreviewView.as_view(), name="enterprise"),
    path("parks/<slug:slug>/", preview.ParkPreviewView.as_view(), name="park"),
]
