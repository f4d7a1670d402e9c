"""The site's URLs plus uploaded media, for the browser test's live server (DEBUG is off)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request


urlpatterns = [*site_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
