"""Up to four institutions side by side: /compare/?items=a,b,c (or items=a&items=b)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from directory.models import Institution
from directory.views.mixins import crumbs

MAX_ITEMS = 4
MAX_SLUG_LENGTH = 100


def requested_slugs(querydict):
    """Slugs from ``items=a,b`` and repeated ``items``, in order, without repeats."""
    slugs = []
    for value in querydict.getlist("items"):
        for slug in value.replace("，", ",").split(","):
            slug = slug.strip()[:MAX_SLUG_LENGTH]
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


class CompareView(TemplateView):
    template_name = "directory/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slugs = requested_slugs(self.request.GET)
        too_many = len(slugs) > MAX_ITEMS
        shown = slugs[:MAX_ITEMS]
        found = (
            {
                i.slug: i
                for i in Institution.objects.published().for_comparison().filter(slug__in=shown)
            }
            if shown
            else {}
        )
        institutions = [found[slug] for slug in shown if slug in found]
        context.update(
            institutions=institutions,
            unknown=[slug for slug in shown if slug not in found],
            too_many=too_many,
            dropped=slugs[MAX_ITEMS:],
            max_items=MAX_ITEMS,
            crumbs=crumbs(
                (gettext("Institutions"), reverse("directory:institution_list")),
                (gettext("Compare institutions"), None),
            ),
        )
        return context
