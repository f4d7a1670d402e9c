"""Every school–enterprise partnership, filterable by kind, institution and enterprise."""

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from directory.filters import PartnershipFilterSet
from directory.models import Partnership
from directory.views.mixins import DirectoryListMixin


class PartnershipListView(DirectoryListMixin, FilterView):
    model = Partnership
    filterset_class = PartnershipFilterSet
    paginate_by = 30
    template_name = "directory/partnership_list.html"
    context_object_name = "partnerships"
    list_title = _("School–enterprise partnerships")
    az_index = False

    def get_queryset(self):
        return Partnership.objects.visible().with_sides().order_by("pinyin", "pk")

    def get(self, request, *args, **kwargs):
        # /partnerships/?show=<slug> (asked by site.js for /partnerships/#slug when the
        # partnership is on another page): redirect to the page that holds it.
        slug = request.GET.get("show")
        if slug:
            return HttpResponseRedirect(self.page_of(slug))
        return super().get(request, *args, **kwargs)

    def page_of(self, slug):
        qs = self.get_queryset()
        target = qs.filter(slug=slug).values_list("pinyin", "pk").first()
        if target is None:
            return self.request.path
        pinyin, pk = target
        before = qs.filter(pinyin__lt=pinyin).count() + qs.filter(pinyin=pinyin, pk__lt=pk).count()
        page = before // self.paginate_by + 1
        query = f"?page={page}" if page > 1 else ""
        return f"{self.request.path}{query}#{slug}"
