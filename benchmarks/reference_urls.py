"""The site's URLs plus /reference/: 50 rows from one query in a plain template, no cache."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import urlpatterns as site_urlpatterns
from directory.models import Enterprise

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><head><title>Enterprises</title></head><body><table>"
    "{% for e in rows %}<tr><td>{{ e.name }}</td><td>{{ e.pinyin }}</td>"
    "<td>{{ e.get_relation_display }}</td></tr>{% endfor %}</table></body></html>"
)


@never_cache
def reference(request):
    rows = Enterprise.objects.order_by("pk")[:50]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


urlpatterns = [path("reference/", reference), *site_urlpatterns]
