"""Public pages of the reference taxonomy: action lines, SDGs, the WSIS–SDG Matrix and countries."""

from django.http import Http404
from django.shortcuts import render

from wsis.core.cache import public_page
from wsis.core.htmx import htmx_partial
from wsis.core.sections import page_sections

from . import selectors
from .forms import CountryFilterForm


def action_line_list(request):
    return render(request, "taxonomy/action_line_list.html", {"action_lines": selectors.action_line_list()})


def action_line_detail(request, slug):
    action_line = selectors.action_line_get(slug=slug)
    links = selectors.matrix_links(action_line=action_line) if action_line.is_leaf else []
    return render(request, "taxonomy/action_line_detail.html", {
        "action_line": action_line,
        "links": links,
        "children": action_line.children.all(),
        "sections": page_sections("action_line", request=request, action_line=action_line),
    })


def goal_list(request):
    return render(request, "taxonomy/goal_list.html", {"goals": selectors.goal_list()})


def goal_detail(request, number):
    goal = selectors.goal_get(number=number)
    return render(request, "taxonomy/goal_detail.html", {
        "goal": goal,
        "links": selectors.matrix_links(goal=goal),
        "sections": page_sections("goal", request=request, goal=goal),
    })


def target_detail(request, code):
    target = selectors.target_get(code=code)
    return render(request, "taxonomy/target_detail.html", {
        "target": target,
        "links": selectors.matrix_links(target=target),
    })


def matrix(request):
    return render(request, "taxonomy/matrix.html", {"grid": selectors.matrix_grid()})


def matrix_cell(request, slug, number):
    action_line = selectors.action_line_get(slug=slug)
    goal = selectors.goal_get(number=number)
    if not action_line.is_leaf:
        raise Http404
    context = {"action_line": action_line, "goal": goal,
               "links": selectors.matrix_cell(action_line=action_line, goal=goal)}
    template = "taxonomy/partials/matrix_cell.html" if htmx_partial(request) else "taxonomy/matrix_cell.html"
    return render(request, template, context)


def country_list(request):
    form = CountryFilterForm(request.GET or None)
    countries = selectors.country_list(form.filters())
    context = {"form": form, "countries": countries}
    template = "taxonomy/partials/country_table.html" if htmx_partial(request) else "taxonomy/country_list.html"
    return render(request, template, context)


@public_page
def country_detail(request, iso3):
    country = selectors.country_get(iso3=iso3)
    return render(request, "taxonomy/country_detail.html", {
        "country": country,
        "sections": page_sections("country", request=request, country=country),
    })


def commission_list(request):
    return render(request, "taxonomy/commission_list.html", {
        "commissions": selectors.commission_list(),
        "groups": selectors.country_group_list(),
    })


def commission_detail(request, code):
    commission = selectors.commission_get(code=code)
    memberships = selectors.commission_memberships(commission=commission)
    return render(request, "taxonomy/commission_detail.html", {
        "commission": commission,
        "memberships": memberships,
        "sections": page_sections("commission", request=request, commission=commission),
    })


def sources(request):
    """Where every shipped reference dataset comes from: what, source, licence, date checked, status."""
    return render(request, "taxonomy/sources.html", {
        "datasets": selectors.reference_sources(),
        "counts": selectors.provenance_counts(),
    })
