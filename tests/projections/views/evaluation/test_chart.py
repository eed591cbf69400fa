"""The year-over-year chart: one line per dimension and the index, gaps where none was scored."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from projections.views.evaluation.chart import YearPoint, index_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def test_each_dimension_and_the_index_is_a_line_through_its_years() -> None:
    points = [
        YearPoint(2022, {"output": 50.0, "impact": None}, 30.0),
        YearPoint(2023, {"output": 60.0, "impact": 70.0}, 45.0),
        YearPoint(2024, {"output": 100.0, "impact": 80.0}, 60.0),
    ]
    svg = ET.fromstring(index_chart("SIANTAR", points))
    lines = {g.get("class"): g for g in svg.iterfind("s:g", NS)}
    output = lines["line output"].findall("s:polyline", NS)
    assert len(output) == 1
    assert len(output[0].get("points", "").split()) == 3
    # The output of 100 sits at the top of the plot, 50 half-way down.
    ys = [float(p.split(",")[1]) for p in output[0].get("points", "").split()]
    assert ys[2] < ys[1] < ys[0]
    assert ys[2] == 40.0
    assert ys[0] == 200.0
    impact = lines["line impact"].findall("s:polyline", NS)
    assert len(impact[0].get("points", "").split()) == 2  # 2022 unscored: no point
    assert len(lines["line index"].findall("s:circle", NS)) == 3
    assert not lines["line baseline"].findall("s:polyline", NS)
    labels = [t.text for t in svg.iterfind("s:text", NS)]
    assert {"2022", "2023", "2024", "Indeks", "Quick Win"} <= set(labels)


def test_city_names_are_escaped() -> None:
    svg = index_chart("<script>", [YearPoint(2024, {}, None)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
