"""Institutions: the filtered A–Z list and the page of one institution."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.filters import InstitutionFilterSet
from directory.models import Institution
from directory.views.compare import MAX_ITEMS as MAX_COMPARED
from directory.views.mixins import (
    DirectoryListMixin,
    PhotosMixin,
    PublishedObjectMixin,
    back_to_list,
    crumbs,
)


class InstitutionListView(DirectoryListMixin, FilterView):
    model = Institution
    filterset_class = InstitutionFilterSet
    paginate_by = 20
    template_name = "directory/institution_list.html"
    context_object_name = "institutions"
    list_title = _("Institutions")

    def get_queryset(self):
        return Institution.objects.published().with_listing_data().order_by("pinyin", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(compare_max=MAX_COMPARED, **kwargs)


class InstitutionDetailView(PublishedObjectMixin, PhotosMixin, DetailView):
    model = Institution
    template_name = "directory/institution_detail.html"
    context_object_name = "institution"

    def get_queryset(self):
        return self.shown().with_detail_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        back_url = back_to_list(self.request, "directory:institution_list")
        context.update(
            back_url=back_url,
            crumbs=crumbs((gettext("Institutions"), back_url), (institution.display_name, None)),
        )
        return context
