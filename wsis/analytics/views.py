"""Analytics pages: coverage matrix, cell drill-down, gap finder, trends, profiles, facilitator dashboard.

Each page is a plain GET form plus results: the full page without JavaScript, the results fragment
for HTMX (``wsis.core.htmx.htmx_partial``), and any chart's data as CSV with ``?format=csv&chart=<id>``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from wsis.core import charts
from wsis.core.cache import public_page
from wsis.core.htmx import htmx_partial
from wsis.core.permissions import facilitated, is_facilitator_of
from wsis.stocktaking.filters import InitiativeFilters, legacy_redirect
from wsis.taxonomy import services as taxonomy_services
from wsis.taxonomy.models import ActionLine, Country, Goal, MatrixLink
from wsis.taxonomy.selectors import matrix_version_current

from . import figures, selectors
from .forms import CoverageFilterForm, MatrixLinkAddForm, MatrixLinkEditForm, MatrixLinkRemoveForm


def _form(request) -> tuple[CoverageFilterForm, InitiativeFilters]:
    form = CoverageFilterForm(request.GET or None)
    return form, form.filters()


def _legacy_spelling(view):
    """Pages answer the old spelling of the filters (``ldc=on``) with a permanent redirect to the new one."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return legacy_redirect(request) or view(request, *args, **kwargs)
    return wrapper


def _attach_csv(request, chart_list: list[charts.Chart]):
    """Point each chart's CSV link at this page (same filters) and answer ``?format=csv`` requests."""
    for chart in chart_list:
        params = request.GET.copy()
        params["format"], params["chart"] = "csv", chart.id
        chart.csv_url = f"{request.path}?{params.urlencode()}"
    if request.GET.get("format") == "csv":
        wanted = request.GET.get("chart", "")
        for chart in chart_list:
            if chart.id == wanted:
                return charts.csv_response(chart)
        raise Http404(_("No chart of that name on this page."))
    return None


def _page(request, template: str, partial: str, context: dict):
    return render(request, partial if htmx_partial(request) else template, context)


def _matrix_table(matrix: selectors.CoverageMatrix) -> charts.Chart:
    """The matrix as a table-shaped Chart, for its CSV download (the page shows it as an HTML table)."""
    columns = [_("Action line"), *[_("SDG %(n)s") % {"n": g.number} for g in matrix.goals], _("Total")]
    rows = [[al.label, *[c.count for c in cells], total] for al, cells, total in matrix.rows]
    rows.append([_("Total"), *matrix.goal_totals, matrix.total])
    return charts.Chart(id="coverage-matrix", title=_("Initiatives by action line and SDG"), description="",
                        svg=mark_safe(""), columns=columns, rows=rows, source=figures.SOURCE())


def _matrix_body(matrix: selectors.CoverageMatrix, labels: dict) -> str:
    """The 18 × 17 table body as HTML, built in one pass: the template engine took four times as long as
    the query for these 306 cells. Same markup as a template would give; every text is escaped."""
    labels = {key: escape(str(text)) for key, text in labels.items()}
    mark = {
        "covered": f'<span class="mark" aria-hidden="true">◆</span><span class="visually-hidden">{labels["linked"]}</span>',
        "gap": f'<span class="mark" aria-hidden="true">◆</span><span class="visually-hidden">{labels["gap"]}</span>',
        "unlinked": f'<span class="mark" aria-hidden="true">+</span><span class="visually-hidden">{labels["unlinked"]}'
                    "</span>",
    }
    rows = []
    for al, cells, total in matrix.rows:
        tds = []
        for c in cells:
            url = escape(c.url)
            tds.append(f'<td class="heat-{c.level} {c.state}"><a href="{url}" hx-get="{url}" hx-target="#cell-detail" '
                       f'hx-push-url="false">{c.count}{mark.get(c.state, "")}</a></td>')
        rows.append(f'<tr><th scope="row"><a href="{escape(al.get_absolute_url())}">{escape(al.label)}</a></th>'
                    f'{"".join(tds)}<td class="num total">{total}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - built from escaped parts above


@public_page
@_legacy_spelling
def coverage(request):
    form, f = _form(request)
    matrix = selectors.coverage_matrix(f)
    table = _matrix_table(matrix)
    if response := _attach_csv(request, [table]):
        return response
    return _page(request, "analytics/coverage.html", "analytics/partials/coverage_results.html", {
        "form": form, "filters": f, "matrix": matrix, "table": table, "search": selectors.search_url(f),
        "body": _matrix_body(matrix, {"linked": _("(Matrix link)"), "gap": _("(gap: Matrix link without initiatives)"),
                                      "unlinked": _("(beyond the Matrix: no link)")}),
    })


@_legacy_spelling
def cell(request, slug, number):
    action_line = get_object_or_404(ActionLine, slug=slug, is_leaf=True)
    goal = get_object_or_404(Goal, number=number)
    form, f = _form(request)
    detail = selectors.coverage_cell(f, action_line=action_line, goal=goal)
    return _page(request, "analytics/cell.html", "analytics/partials/cell.html", {
        "form": form, "filters": f, "detail": detail,
    })


@_legacy_spelling
def gaps(request):
    form, f = _form(request)
    f = f.replace(action_line=[])  # here the action line picks the Matrix links, not the initiatives
    code = request.GET.get("action_line", "")
    action_line = ActionLine.objects.filter(code=code, is_leaf=True).first() if code else None
    report = selectors.gap_finder(f, action_line=action_line)
    columns = [_("SDG target"), _("Action lines"), _("Initiatives"), _("Countries reached"),
               _("Initiatives per country"), *[a.label for a in report.areas]]
    rows = [[r.target.code, " ".join(r.action_lines), r.count, r.countries_reached, r.per_country, *r.by_area]
            for r in report.rows]
    table = charts.Chart(id="gaps", title=_("Matrix-linked SDG targets, fewest initiatives per country first"),
                         description="", svg=mark_safe(""), columns=columns, rows=rows, source=figures.SOURCE())
    shown = report.rows[:15]
    heat = charts.heatmap(
        id="gaps-by-area", title=_("Initiatives per 10 countries for the least covered targets, by region and group"),
        row_labels=[r.target.code for r in shown], column_labels=[a.short for a in report.areas],
        values=[[round(v * 10, 1) for v in r.by_area] for r in shown], cell=74, cell_height=26,
        label_header=_("SDG target"),
        source=figures.SOURCE(), rtl=get_language_bidi(),
    ) if report.areas and shown else None
    if heat:  # the table and CSV name each group in full; the grid's column heads use the short codes
        heat.columns = [_("SDG target"), *[a.label for a in report.areas]]
    chart_list = [table] + ([heat] if heat else [])
    if response := _attach_csv(request, chart_list):
        return response
    return _page(request, "analytics/gaps.html", "analytics/partials/gaps_results.html", {
        "form": form, "filters": f, "report": report, "table": table, "heat": heat, "action_line": action_line,
        "action_lines": ActionLine.objects.filter(is_leaf=True),
    })


@_legacy_spelling
def trends(request):
    form, f = _form(request)
    report = selectors.trends(f)
    chart_list = figures.trend_charts(report)
    if response := _attach_csv(request, chart_list):
        return response
    return _page(request, "analytics/trends.html", "analytics/partials/trends_results.html", {
        "form": form, "filters": f, "report": report, "charts": chart_list,
    })


def _profile_page(request, *, heading: str, place: dict, kind: str, subject, per_country: bool = False):
    form, f = _form(request)
    f = f.replace(**{"region": [], "commission": [], "country": [], "group": [], **place})
    profile = selectors.area_profile(f, per_country=per_country)
    chart_list = figures.profile_charts(profile)
    if response := _attach_csv(request, chart_list):
        return response
    return _page(request, "analytics/profile.html", "analytics/partials/profile_results.html", {
        "form": form, "filters": f, "profile": profile, "charts": chart_list, "heading": heading, "kind": kind,
        "subject": subject, "search": selectors.search_url(f), "coverage_query": f.query(),
    })


@public_page
@_legacy_spelling
def country(request, iso3):
    country = get_object_or_404(Country, iso3=iso3.upper())
    return _profile_page(request, heading=country.name, place={"country": [country.iso3]}, kind="country",
                         subject=country)


@_legacy_spelling
def region(request, m49):
    region = selectors.region_get(m49)
    return _profile_page(request, heading=region.name, place={"region": [region.m49]}, kind="region", subject=region,
                         per_country=True)


@_legacy_spelling
def commission(request, code):
    commission = selectors.commission_get(code)
    return _profile_page(request, heading=commission.name, place={"commission": [commission.code]}, kind="commission",
                         subject=commission, per_country=True)


# ---------------------------------------------------------------------------------------------
# Facilitators


@login_required
def facilitator_list(request):
    lines = facilitated(request.user, ActionLine).filter(is_leaf=True)
    return render(request, "analytics/facilitator_list.html", {"action_lines": lines})


def _can_facilitate(user, action_line) -> bool:
    return is_facilitator_of(user, action_line)


@login_required
@_legacy_spelling
def facilitator(request, slug):
    action_line = get_object_or_404(ActionLine, slug=slug, is_leaf=True)
    if not _can_facilitate(request.user, action_line):
        raise PermissionDenied(taxonomy_services.MATRIX_EDIT_FORBIDDEN)
    add_form = MatrixLinkAddForm(prefix="add")
    status = 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "add":
                add_form = MatrixLinkAddForm(request.POST, prefix="add")
                if add_form.is_valid():
                    d = add_form.cleaned_data
                    version = taxonomy_services.matrix_link_add(
                        actor=request.user, action_line=action_line, goal=d["goal"], target=d["target"],
                        rationale=d["rationale"], reason=d["reason"])
                    messages.success(request, _("Link added. The Matrix is now at version %(v)s.") % {"v": version.code})
                    return HttpResponseRedirect(request.path)
            elif op in ("update", "remove"):
                form = (MatrixLinkEditForm if op == "update" else MatrixLinkRemoveForm)(request.POST)
                if form.is_valid():
                    link = get_object_or_404(MatrixLink.objects.select_related("action_line", "goal", "target"),
                                             pk=form.cleaned_data["link"], action_line=action_line)
                    if op == "update":
                        version = taxonomy_services.matrix_link_update(
                            actor=request.user, link=link, rationale=form.cleaned_data["rationale"],
                            reason=form.cleaned_data["reason"])
                        messages.success(request, _("Rationale saved. The Matrix is now at version %(v)s.") % {
                            "v": version.code})
                    else:
                        version = taxonomy_services.matrix_link_remove(
                            actor=request.user, link=link, reason=form.cleaned_data["reason"])
                        messages.success(request, _("Link removed. The Matrix is now at version %(v)s.") % {
                            "v": version.code})
                    return HttpResponseRedirect(request.path)
                messages.error(request, _("The change could not be saved: the form was incomplete."))
            else:
                messages.error(request, _("Unknown change requested."))
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                for error in errors:
                    if field in add_form.fields and op == "add":
                        add_form.add_error(field, error)
                    else:
                        messages.error(request, error)
        status = 400
    form, f = _form(request)
    board = selectors.facilitator_dashboard(action_line, f)
    chart_list = figures.dashboard_charts(board, f)
    if response := _attach_csv(request, chart_list):
        return response
    return render(request, "analytics/facilitator.html", {
        "action_line": action_line, "board": board, "charts": chart_list, "add_form": add_form, "form": form,
        "filters": f, "version": matrix_version_current(),
    }, status=status)
