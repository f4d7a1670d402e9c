"""The key figures, grouped by whom they describe, achieved beside target, with bar charts."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from directory.formatting import format_figure
from directory.languages import is_english_page
from directory.links import url_for
from directory.models import Figure, Scope
from directory.models.figures import shared_source
from directory.views.mixins import crumbs

# The order the groups appear in: the city first, then the district, then each subject.
SCOPE_ORDER = [
    Scope.CITY,
    Scope.DISTRICT,
    Scope.INSTITUTION,
    Scope.PARK,
    Scope.ENTERPRISE,
    Scope.CLUSTER,
]


def _scope_headings():
    return {
        Scope.CITY: _("The city"),
        Scope.DISTRICT: _("Banan District"),
        Scope.INSTITUTION: _("Institutions"),
        Scope.PARK: _("Parks and functional projects"),
        Scope.ENTERPRISE: _("Enterprises"),
        Scope.CLUSTER: _("Industry clusters"),
    }


@dataclass
class Chart:
    id: str
    title: str
    figures: list


@dataclass
class FigureGroup:
    """The figures of one subject: the city, the district, or one institution, park …"""

    anchor: str
    title: str
    scope: str
    subject: object = None
    achieved: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    charts: list = field(default_factory=list)

    @property
    def figures(self):
        return self.achieved + self.targets

    @property
    def shared_source(self):
        return shared_source(self.figures)

    @property
    def url(self):
        if self.subject is not None and self.subject.is_published:
            return self.subject.get_absolute_url()
        return ""


def group_figures(figures, subjects):
    """Figures (with subjects selected) into FigureGroups, in the order of ``subjects``.

    ``subjects`` are ``Figure.objects.subject_index()`` keys, already in page order.
    """
    headings = _scope_headings()
    groups = {}
    for figure in figures:
        figure.display_value = format_figure(figure)
        group = groups.get(figure.subject_key)
        if group is None:
            subject = figure.subject
            if subject is None:
                anchor = f"scope-{figure.scope}"
                title = headings.get(figure.scope, figure.get_scope_display())
            else:
                anchor = f"{figure.scope}-{subject.slug}"
                title = subject.display_name
            group = groups[figure.subject_key] = FigureGroup(
                anchor=anchor, title=title, scope=figure.scope, subject=subject
            )
        (group.targets if figure.is_target else group.achieved).append(figure)
    ordered = [groups[key] for key in subjects if key in groups]
    for group in ordered:
        group.charts = _charts_for(group)
    return ordered


def _charts_for(group):
    """One chart per unit shared by two or more figures of the group: comparable numbers."""
    by_unit = {}
    for figure in group.figures:
        by_unit.setdefault((figure.unit, figure.unit_en), []).append(figure)
    charts = []
    for (unit, unit_en), figures in by_unit.items():
        if len(figures) < 2:
            continue
        unit_label = (unit_en or unit) if is_english_page() else unit
        if unit_label:
            title = _("%(group)s: figures in %(unit)s") % {
                "group": group.title,
                "unit": unit_label,
            }
        else:
            title = _("%(group)s: counts") % {"group": group.title}
        chart_id = f"chart-{group.anchor}-{len(charts) + 1}"
        charts.append(Chart(id=chart_id, title=title, figures=figures))
    return charts


class FigureListView(TemplateView):
    template_name = "directory/figure_list.html"
    # Subjects per page: the source's figures fit on one; a large directory gets pages.
    groups_per_page = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Figure.objects.visible()
        subjects, total, targets = visible.subject_index(SCOPE_ORDER)
        # Subjects are paged; only the figures of this page's subjects are loaded.
        page = Paginator(subjects, self.groups_per_page).get_page(self.request.GET.get("page"))
        figures = visible.of_subjects(page).with_subjects().order_by("order", "pk")
        groups = group_figures(figures, page)
        scope_sections = []
        for scope in SCOPE_ORDER:
            in_scope = [group for group in groups if group.scope == scope]
            if in_scope:
                scope_sections.append(
                    {"scope": scope, "title": _scope_headings()[scope], "groups": in_scope}
                )
        context.update(
            groups=groups,
            page_obj=page,
            list_query=QueryDict(),  # pages carry nothing else
            scope_sections=scope_sections,
            figure_count=total,
            target_count=targets,
            crumbs=crumbs((_("Key figures"), None)),
            news_url=reverse("directory:article_list"),
        )
        return context


@require_safe
def figure_permalink(request, slug):
    """A figure's own address: to the page of the figures list that shows it, at its card.

    The figures list is paged by subject, so where a figure appears changes as the directory
    grows; links to one figure (from an article, say) come here and are sent on.
    """
    visible = Figure.objects.visible()
    figure = get_object_or_404(visible, slug=slug)
    subjects = visible.subject_index(SCOPE_ORDER)[0]
    index = subjects.index(figure.subject_key) if figure.subject_key in subjects else 0
    page = index // FigureListView.groups_per_page + 1
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{url_for('directory:figure_list')}{query}#{figure.slug}")
