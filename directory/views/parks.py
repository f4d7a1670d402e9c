"""Parks and functional projects: both groups on one page, and the page of each."""

from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView

from directory.models import Park
from directory.views.mixins import PhotosMixin, PublishedObjectMixin, crumbs


class ParkListView(ListView):
    template_name = "directory/park_list.html"
    context_object_name = "parks"

    def get_queryset(self):
        return Park.objects.published().with_listing_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parks = list(context["parks"])
        # One place can be both: it then shows in both groups.
        context.update(
            industrial_parks=[p for p in parks if p.is_industrial_park],
            functional_projects=[p for p in parks if p.is_functional_project],
            other_places=[
                p for p in parks if not (p.is_industrial_park or p.is_functional_project)
            ],
            crumbs=crumbs((gettext("Parks and functional projects"), None)),
        )
        return context


class ParkDetailView(PublishedObjectMixin, PhotosMixin, DetailView):
    model = Park
    template_name = "directory/park_detail.html"
    context_object_name = "park"
    enterprises_shown = 24

    def get_queryset(self):
        return self.shown().with_detail_data(enterprises=self.enterprises_shown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        park = self.object
        context.update(
            enterprises_url=reverse("directory:enterprise_list") + f"?park={park.slug}",
            crumbs=crumbs(
                (gettext("Parks and functional projects"), reverse("directory:park_list")),
                (park.display_name, None),
            ),
        )
        return context
