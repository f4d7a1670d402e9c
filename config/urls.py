from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from directory import seo
from directory.views import media

handler500 = "directory.views.errors.server_error"

urlpatterns = [
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": seo.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": seo.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("favicon.ico", seo.favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path(settings.ADMIN_URL, admin.site.urls),
    path("preview/", include("directory.preview_urls")),
    path("", include("directory.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            media.serve_media,
        )
    ]
