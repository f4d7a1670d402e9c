"""Staff preview of drafts and scheduled items on the public page design.

Each preview is the public detail view with `published()` lifted for staff who may view the
model (`visible_to(user)`); everybody else gets the same 404 a missing page gives. Previews
are never cached and never indexed. Linked from the admin's “view on site” for drafts.
"""

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from directory.views import enterprises, institutions, news, parks


@method_decorator(never_cache, name="dispatch")
class StaffPreviewMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        opts = self.model._meta
        if not (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        ):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def shown(self):
        return self.model.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        return context


class ArticlePreviewView(StaffPreviewMixin, news.ArticleDetailView):
    pass


class InstitutionPreviewView(StaffPreviewMixin, institutions.InstitutionDetailView):
    pass


class EnterprisePreviewView(StaffPreviewMixin, enterprises.EnterpriseDetailView):
    pass


class ParkPreviewView(StaffPreviewMixin, parks.ParkDetailView):
    pass
