"""Pages of the ICT indicators: catalogue, indicator, group comparison, divides, need versus activity.

Every page shows its source and licence, a data table beside each chart, and a CSV download
(``?format=csv`` on the same URL, so the download always matches the filters on screen).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from wsis.core.charts import Series, bar_chart, line_chart
from wsis.core.downloads import csv_response
from wsis.core.htmx import htmx_partial
from wsis.core.permissions import is_secretariat
from wsis.taxonomy.models import Country

from . import selectors
from .forms import GroupComparisonForm, ImportForm, IndicatorDetailForm, NeedFilterForm
from .models import Indicator
from .services import IMPORT_NOT_ALLOWED, ImportFailed, observations_import

SERIES_FROM = 2000  # time series start here: earlier years are mostly zeros and flatten the chart


def csv_download(filename: str, header: list, rows, *, indicators: list[Indicator] = ()) -> StreamingHttpResponse:
    """Stream rows as CSV (:mod:`wsis.core.downloads`), ending with the source and licence of the data."""

    def lines():
        yield from rows
        for indicator in indicators:
            yield []
            yield [gettext("Indicator"), indicator.code, indicator.name_en]
            yield [gettext("Source"), indicator.source, indicator.source_url]
            if indicator.vintage:
                yield [gettext("Vintage"), indicator.vintage]
            yield [gettext("Licence"), indicator.licence]

    return csv_response(slugify(filename) or "data", [str(h) for h in header], lines())


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def _source_text(indicator: Indicator) -> str:
    """Source, vintage and licence: the caption of every chart of an indicator."""
    parts = [indicator.source]
    if indicator.vintage:
        parts.append(gettext("vintage: %(vintage)s") % {"vintage": indicator.vintage})
    parts.append(indicator.licence)
    return " · ".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------------- catalogue

def indicator_list(request):
    indicators = list(selectors.indicator_list())
    if _wants_csv(request):
        return csv_download("ict-indicators", [
            _("Code"), _("Name"), _("Unit"), _("SDG indicator"), _("Countries"), _("First year"), _("Last year"),
            _("Source"), _("Licence"), _("Source URL"),
        ], ([i.code, i.name, i.get_unit_display(), i.sdg_indicator.code if i.sdg_indicator else "", i.country_count,
             i.first_year, i.last_year, i.source, i.licence, i.source_url] for i in indicators))
    return render(request, "indicators/indicator_list.html", {
        "indicators": indicators,
        "targets": selectors.wsis_target_status(),
        "can_import": is_secretariat(request.user),
    })


# ----------------------------------------------------------------------------------------------- indicator

def indicator_detail(request, code):
    indicator = selectors.indicator_get(code=code)
    countries = list(Country.objects.order_by("name_en").only("iso3", *[f"name_{s}" for s in
                                                                        ("en", "fr", "es", "ru", "ar", "zh_hans")]))
    form = IndicatorDetailForm(request.GET or None, countries=countries)
    options = form.values()
    values = selectors.country_values(indicator=indicator)
    latest = selectors.latest_by_country(indicator=indicator, values=values)
    comparison = selectors.sort_country_values(latest, options["sort"])
    if _wants_csv(request):
        return csv_download(f"{indicator.code}-latest-by-country", [
            _("Country or area"), "ISO3", _("Year"), _("Value"), _("Unit")],
            ([r.country.name, r.country.iso3, r.year, r.value, indicator.get_unit_display()] for r in comparison),
            indicators=[indicator])
    country = next((c for c in countries if c.iso3 == options["country"]), None)
    chart, last_good = _series_chart(indicator, country)
    since = last_good - selectors.RECENT_YEARS if last_good else None
    breaks = selectors.breaks_by_country(indicator=indicator, since=since, values=values)
    by_id = {r.country.pk: r.country for r in latest}
    context = {"indicator": indicator, "form": form, "comparison": comparison, "chart": chart,
               "sort": options["sort"], "country": country, "break_ids": set(breaks),
               "breaks": sorted(((by_id[cid], b) for cid, found in breaks.items() if cid in by_id for b in found),
                                key=lambda pair: (pair[0].name, pair[1].year)),
               "since": last_good - selectors.RECENT_YEARS if last_good else None,
               "wsis_links": indicator.wsis_target_links.select_related("wsis_target")}
    if htmx_partial(request):
        return render(request, "indicators/partials/comparison_table.html", context)
    return render(request, "indicators/indicator_detail.html", context)


SHORT_METHOD = {"median": _("median"), "weighted_mean": _("weighted"), "sum": _("sum")}
SHORT_GROUP = {"WLD": _("World"), "LDC": _("LDC"), "LLDC": _("LLDC"), "SIDS": _("SIDS")}


def _series_chart(indicator: Indicator, country: Country | None):
    """The time-series chart, and the last year with good coverage (None without data)."""
    groups, series = selectors.group_series(indicator=indicator, min_year=SERIES_FROM)
    if not series:
        return None, None
    years = sorted(series)
    # Group lines stop at the last year with good coverage: a median of the few early reporters of the
    # newest year would jump for no real reason.
    # (The same rule as selectors.default_year, from the world group's reporting counts already at hand.)
    reporting = {y: series[y]["WLD"].reporting for y in years}
    last_good = max(y for y in years if reporting[y] >= 0.8 * max(reporting.values()))
    published = dict(indicator.observations.filter(group_code="WLD", sex="total", area="total", age="total")
                     .values_list("year", "value"))
    lines = []
    if published:
        lines.append(Series(gettext("World (source)"), [published.get(y) for y in years]))
    for group in groups:
        method = next((a.method for a in (series[y][group.code] for y in years) if a.value is not None), "")
        label = SHORT_GROUP.get(group.code, group.name)
        name = f"{label} ({SHORT_METHOD[method]})" if method in SHORT_METHOD else str(label)
        lines.append(Series(name, [series[y][group.code].value if y <= last_good else None for y in years]))
    notes = [gettext("Group lines are computed by the platform from the countries reporting each year, up to "
                     "%(year)s, the last year with good coverage; the group comparison gives the method and the "
                     "number of countries behind each value. “World (source)” is the world value the source "
                     "publishes.") % {"year": last_good}]
    if country is not None:
        points = selectors.country_series(indicator=indicator, country=country)
        own = dict(points)
        breaks = selectors.series_breaks(indicator=indicator, country=country, series=points)
        lines.append(Series(country.name, [own.get(y) for y in years],
                            breaks=[years.index(b.year) for b in breaks if b.year in years]))
        for b in breaks:
            notes.append(gettext(
                "%(country)s: series break between %(y0)s and %(y1)s (%(v0)s → %(v1)s), likely a change in how "
                "the data are reported rather than a trend; the line is not drawn across it.") % {
                "country": country.name, "y0": b.year_before, "y1": b.year,
                "v0": f"{b.value_before:,.1f}", "v1": f"{b.value:,.1f}"})
    chart = line_chart(
        id=f"series-{slugify(indicator.code)}", title=gettext("%(name)s over time") % {"name": indicator.name},
        x_labels=years, series=lines, source=_source_text(indicator), rtl=get_language_bidi(),
        label_header=gettext("Year"),
    )
    chart.notes = notes
    return chart, last_good


def observations_csv(request, code):
    """Every observation of one indicator (countries, published aggregates, disaggregations), streamed."""
    indicator = selectors.indicator_get(code=code)
    qs = selectors.observation_list(indicator=indicator).values_list(
        "country__iso3", "group_code", "group_name", "year", "value", "sex", "area", "age", "source", "note")
    return csv_download(f"{indicator.code}-observations", [
        "iso3", "aggregate_code", "aggregate_name", "year", "value", "sex", "area", "age", "source", "note",
    ], qs.iterator(chunk_size=2000), indicators=[indicator])


# ---------------------------------------------------------------------------------------- group comparison

def group_comparison(request):
    form = GroupComparisonForm(request.GET or None)
    indicator = selectors.indicator_find(form.indicator_code())
    year, rows = (selectors.group_comparison(indicator=indicator, year=form.year_value())
                  if indicator else (None, []))
    if _wants_csv(request) and indicator:
        return csv_download(f"{indicator.code}-groups-{year}", [
            _("Group"), _("Kind"), _("Year"), _("Value"), _("Method"), _("Countries reporting"),
            _("Countries in group"), _("Published by the source"),
        ], ([r.group.name, r.group.kind_label, year, r.aggregate.value, r.aggregate.description,
             r.aggregate.reporting, r.aggregate.members, r.published] for r in rows), indicators=[indicator])
    headline = [r for r in rows if r.group.kind in ("world", "status")]
    chart = None
    if headline and indicator:
        chart = bar_chart(
            id="group-comparison", title=gettext("%(name)s, %(year)s: world, LDC, LLDC and SIDS") % {
                "name": indicator.name, "year": year},
            labels=[r.group.name for r in headline], values=[r.aggregate.value for r in headline],
            value_header=indicator.get_unit_display(), label_header=gettext("Group"),
            source=_source_text(indicator), rtl=get_language_bidi(),
        )
        chart.notes = [f"{r.group.name}: {r.aggregate.description}." for r in headline]
        chart.csv_url = f"{request.path}?indicator={indicator.code}&year={year}&format=csv"
    return render(request, "indicators/group_comparison.html", {
        "form": form, "indicator": indicator, "year": year, "chart": chart,
        "headline": headline, "regions": [r for r in rows if r.group.kind == "region"],
        "commissions": [r for r in rows if r.group.kind == "commission"],
        "has_population": selectors.has_population_series(),
    })


# ------------------------------------------------------------------------------------------------- divides

def divides(request):
    internet = selectors.internet_gender_divide()
    gender = selectors.gender_gap()
    gender_indicator = selectors.indicator_find(selectors.GENDER_CODE)
    area_indicator, area = selectors.area_gap()
    afford_indicator, afford = selectors.affordability()
    table = request.GET.get("table", "")
    if _wants_csv(request):
        if table == "area" and area_indicator:
            return csv_download("urban-rural-gap", [_("Country or area"), "ISO3", _("Year"), _("Urban"), _("Rural"),
                                                    _("Gap (percentage points)")],
                                ([r.country.name, r.country.iso3, r.year, r.first, r.second, round(r.gap, 2)]
                                 for r in area), indicators=[area_indicator])
        if table == "affordability" and afford_indicator:
            return csv_download("affordability", [_("Country or area"), "ISO3", _("Year"),
                                                  _("Cost of 1 GB (percentage of income)"), _("Meets the 2 % target")],
                                ([r.country.name, r.country.iso3, r.year, r.value, "yes" if r.meets_target else "no"]
                                 for r in afford), indicators=[afford_indicator])
        if table == "internet-gender" and internet.indicator:
            return csv_download("internet-use-by-sex", [
                _("Country or group"), "ISO3", _("Year"), _("Women (%)"), _("Men (%)"), _("Gap (percentage points, men minus women)"),
                _("Method")],
                [*([g.group.name, "", f"{internet.since}–{internet.latest}", g.women.value, g.men.value,
                    round(g.gap, 2) if g.gap is not None else None, g.women.description] for g in internet.groups),
                 *([r.country.name, r.country.iso3, r.year, r.second, r.first, round(r.gap, 2), ""]
                   for r in internet.countries)], indicators=[internet.indicator])
        if gender_indicator:
            return csv_download("gender-gap", [_("Country or area"), "ISO3", _("Year"), _("Men"), _("Women"),
                                               _("Gap (percentage points)")],
                                ([r.country.name, r.country.iso3, r.year, r.first, r.second, round(r.gap, 2)]
                                 for r in gender), indicators=[gender_indicator])
    gender_chart = None
    if gender:
        top = gender[:15]
        gender_chart = bar_chart(
            id="gender-gap", title=gettext("Largest gender gaps in mobile-phone ownership (men minus women)"),
            labels=[r.country.name for r in top], values=[round(r.gap, 2) for r in top],
            value_header=gettext("Percentage points"), label_header=gettext("Country or area"),
            source=_source_text(gender_indicator), rtl=get_language_bidi(),
        )
        gender_chart.csv_url = f"{request.path}?table=gender&format=csv"
    internet_chart = None
    shown = [g for g in internet.groups if g.women.value is not None]
    if shown:
        internet_chart = bar_chart(
            id="internet-by-sex", title=gettext("Women and men using the Internet, %(since)s–%(latest)s") % {
                "since": internet.since, "latest": internet.latest},
            labels=[g.group.name for g in shown],
            series=[Series(gettext("Women"), [round(g.women.value, 1) for g in shown]),
                    Series(gettext("Men"), [round(g.men.value, 1) for g in shown])],
            value_header=gettext("Percentage"), label_header=gettext("Group"),
            source=_source_text(internet.indicator), rtl=get_language_bidi(),
        )
        internet_chart.notes = [f"{g.group.name}: {g.women.description}." for g in shown]
        internet_chart.csv_url = f"{request.path}?table=internet-gender&format=csv"
    meeting = sum(1 for r in afford if r.meets_target)
    return render(request, "indicators/divides.html", {
        "internet": internet, "internet_chart": internet_chart,
        "internet_women_behind": sum(1 for r in internet.countries if r.gap > 0),
        "gender": gender, "gender_indicator": gender_indicator, "gender_chart": gender_chart,
        "women_behind": sum(1 for r in gender if r.gap > 0),
        "area": area, "area_indicator": area_indicator,
        "afford": afford, "afford_indicator": afford_indicator, "afford_meeting": meeting,
        "afford_target": selectors.AFFORDABILITY_TARGET,
    })


# ------------------------------------------------------------------------------------- need versus activity

def need_vs_activity(request):
    form = NeedFilterForm(request.GET or None)
    indicator = selectors.indicator_find(form.indicator_code())
    values = form.values()
    table = selectors.need_vs_activity(indicator=indicator, **values) if indicator else None
    if _wants_csv(request) and table:
        activity = _("Initiatives per million people") if table.per_million else _("Initiatives")
        return csv_download(f"need-vs-activity-{indicator.code}", [
            _("Rank (most need first)"), _("Country or area"), "ISO3", _("Year"), _("Value"), _("Initiatives"),
            activity, _("Under-served"),
        ], ([r.rank, r.country.name, r.country.iso3, r.year, r.value, r.initiatives,
             round(r.activity, 3), "yes" if r.under_served else "no"] for r in table.rows), indicators=[indicator])
    context = {"form": form, "indicator": indicator, "table": table,
               "csv_url": f"{request.path}?{_query(request, format='csv')}",
               "search_url": _safe_reverse("stocktaking:search"), "action_line": values["action_line"]}
    if htmx_partial(request):
        return render(request, "indicators/partials/need_table.html", context)
    return render(request, "indicators/need_vs_activity.html", context)


def _query(request, **extra) -> str:
    params = request.GET.copy()
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


def _safe_reverse(name: str) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------------------------------------- import

def import_upload(request):
    """Upload a file of observations (secretariat). Errors are listed by row, column and value; nothing is
    written unless every row is valid."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_secretariat(request.user):
        raise PermissionDenied(IMPORT_NOT_ALLOWED)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, file_error, result = [], "", None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = Indicator.objects.get(code=data["indicator"])
        try:
            result = observations_import(
                indicator=indicator, data=data["file"].read(), fmt=data["format"], actor=request.user,
                skip_unknown=data["skip_unknown"], series=data["series"].strip(),
                columns={data["column"].strip(): {}} if data["column"].strip() else None,
            )
        except ImportFailed as exc:
            errors, file_error = exc.errors, exc.file_error
        else:
            messages.success(request, gettext(
                "%(code)s: %(created)d observations created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(skipped)d rows skipped.") % {"code": indicator.code, "created": result.created,
                                                "updated": result.updated, "unchanged": result.unchanged,
                                                "skipped": len(result.skipped)})
            if not result.skipped:
                return redirect(indicator.get_absolute_url())
    status = 400 if (errors or file_error or form.errors) else 200
    return render(request, "indicators/import.html", {
        "form": form, "errors": errors[:500], "error_count": len(errors), "file_error": file_error,
        "result": result,
    }, status=status)
