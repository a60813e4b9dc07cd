"""The SVG chart builders: accessible markup, escaping, RTL mirroring, data table and CSV."""

import re

import pytest
from django.template.loader import render_to_string

from wsis.core.charts import Series, bar_chart, csv_response, heatmap, line_chart


def test_bar_chart_svg_has_role_title_and_description():
    chart = bar_chart(id="by-line", title="Initiatives by action line", labels=["C1", "C2"], values=[3, 10])
    svg = str(chart.svg)
    assert 'role="img"' in svg
    assert 'aria-labelledby="by-line-title by-line-desc"' in svg
    assert '<title id="by-line-title">Initiatives by action line</title>' in svg
    assert "Highest: C2, 10" in svg
    assert chart.rows == [["C1", 3], ["C2", 10]]


def test_labels_are_escaped():
    chart = bar_chart(id="x", title="<b>t</b>", labels=["<script>alert(1)</script>"], values=[1])
    assert "<script>" not in str(chart.svg)
    assert "&lt;script&gt;" in str(chart.svg)


def _bar_x(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="16.0" fill="#0072B2"', svg)]


def test_rtl_mirrors_horizontal_bars_and_sets_direction():
    ltr = str(bar_chart(id="a", title="t", labels=["one", "two"], values=[5, 10]).svg)
    rtl = str(bar_chart(id="a", title="t", labels=["one", "two"], values=[5, 10], rtl=True).svg)
    assert 'direction="rtl"' in rtl and 'direction="ltr"' in ltr
    ltr_x, rtl_x = _bar_x(ltr), _bar_x(rtl)
    # In LTR both bars start at the same left edge; mirrored, they end at the same right edge instead.
    assert ltr_x[0] == ltr_x[1]
    assert rtl_x[0] != rtl_x[1] and rtl_x[1] < rtl_x[0]


def test_grouped_bars_use_patterns_and_a_legend_not_colour_alone():
    chart = bar_chart(id="g", title="t", labels=["2020", "2021"],
                      series=[Series("Government", [1, 2]), Series("Civil society", [3, 4])])
    svg = str(chart.svg)
    assert '<pattern id="g-p1"' in svg and 'fill="url(#g-p1)"' in svg
    assert ">Civil society</text>" in svg
    assert chart.columns[1:] == ["Government", "Civil society"]


def test_stacked_bars_add_a_total_column():
    chart = bar_chart(id="s", title="t", labels=["x"], series=[Series("a", [1]), Series("b", [2])], stacked=True,
                      orientation="vertical")
    assert chart.columns[-1] == "Total" and chart.rows == [["x", 1, 2, 3]]


def test_line_chart_labels_each_line_directly_with_distinct_markers():
    chart = line_chart(id="l", title="Trend", x_labels=[2019, 2020, 2021],
                       series=[Series("C1", [1, 2, 3]), Series("C2", [3, None, 1])])
    svg = str(chart.svg)
    assert svg.count("<polyline") == 2
    assert "<circle" in svg and "<rect x" in svg  # circle markers for the first, squares for the second
    assert 'stroke-dasharray="6 3"' in svg
    assert chart.rows[1] == ["2020", 2, None]


def test_heatmap_prints_numbers_and_marks_with_a_legend():
    chart = heatmap(id="h", title="Grid", row_labels=["C1", "C2"], column_labels=["1", "2"],
                    values=[[0, 3], [7, 5]], marks={(0, 0): "○"}, legend=[("○", "Matrix link, no initiative")],
                    links={(1, 0): "/x?a=1&b=2"})
    svg = str(chart.svg)
    assert ">7</text>" in svg and ">○</text>" in svg and "Matrix link, no initiative" in svg
    assert 'href="/x?a=1&amp;b=2"' in svg
    assert chart.rows == [["C1", 0, 3], ["C2", 7, 5]]


def test_csv_has_header_rows_and_source():
    chart = bar_chart(id="c", title="t", labels=["Côte d’Ivoire"], values=[1200], source="Registry",
                      label_header="Country")
    text = chart.csv_text()
    assert text.splitlines()[:2] == ["\ufeffCountry,Initiatives", "Côte d’Ivoire,1200"]
    assert "Source,Registry" in text
    response = csv_response(chart)
    assert b"".join(response.streaming_content).decode() == text
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="c.csv"' in response["Content-Disposition"]
    assert chart.csv_href.startswith("data:text/csv")


@pytest.mark.parametrize("visible", [False, True])
def test_partial_renders_figure_caption_table_and_csv_link(visible):
    chart = bar_chart(id="p", title="By line", labels=["C1"], values=[1], source="Registry",
                      links=["/en/initiatives/?action_line=C1"])
    chart.table_visible = visible
    chart.csv_url = "/download.csv"
    html = render_to_string("core/partials/chart.html", {"chart": chart})
    assert '<figure class="chart" id="p">' in html and "<figcaption>" in html and "Registry" in html
    assert '<th scope="row"><a href="/en/initiatives/?action_line=C1">C1</a></th>' in html
    assert ('<details' in html) is not visible
    assert 'href="/download.csv" download="p.csv"' in html


def test_a_chart_with_links_is_a_group_and_text_links_are_named_by_their_text():
    import re

    from wsis.core.charts import bar_chart

    chart = bar_chart(id="linked", title="By line", labels=["Capacity building", "Security"], values=[4, 2],
                      links=["/en/a/", "/en/b/"])
    svg = str(chart.svg)
    assert 'role="group"' in svg and 'role="img"' not in svg
    text_links = re.findall(r"<a ([^>]*)><text", svg)
    assert text_links and all("aria-label" not in attrs for attrs in text_links)
    plain = bar_chart(id="plain", title="By line", labels=["Capacity building"], values=[4])
    assert 'role="img"' in str(plain.svg)
