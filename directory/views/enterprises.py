"""Enterprises: the filtered A–Z list and the page of one enterprise."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise
from directory.views.mixins import (
    DirectoryListMixin,
    PhotosMixin,
    PublishedObjectMixin,
    back_to_list,
    crumbs,
)


class EnterpriseListView(DirectoryListMixin, FilterView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    paginate_by = 20
    template_name = "directory/enterprise_list.html"
    context_object_name = "enterprises"
    list_title = _("Enterprises")

    def get_queryset(self):
        return Enterprise.objects.published().with_listing_data().order_by("pinyin", "pk")


class EnterpriseDetailView(PublishedObjectMixin, PhotosMixin, DetailView):
    model = Enterprise
    template_name = "directory/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return self.shown().with_detail_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        back_url = back_to_list(self.request, "directory:enterprise_list")
        context.update(
            back_url=back_url,
            crumbs=crumbs((gettext("Enterprises"), back_url), (enterprise.display_name, None)),
        )
        return context
