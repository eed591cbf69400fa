"""The year-over-year index per dimension as an SVG line chart, drawn on the server.

One line per dimension (its score, 0 to 100) and a bold one for the index, over the years
given; a year without a score leaves a gap in its line. Labels are in Bahasa Indonesia.
Built with ElementTree, so every text is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from domain.evaluation import DIMENSIONS

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 50, 150, 40, 40
#: The colour and the label of each line.
LINES = {
    "baseline": ("#7f7f7f", "Baseline"),
    "output": ("#1f77b4", "Output"),
    "outcome": ("#2ca02c", "Outcome"),
    "impact": ("#d62728", "Impact"),
    "quick-win": ("#9467bd", "Quick Win"),
    "index": ("#000000", "Indeks"),
}


@dataclass(frozen=True)
class YearPoint:
    """One year's dimension scores and index (None where nothing was scored)."""

    year: int
    dimensions: dict[str, float | None]
    index: float | None


def _x(i: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else span * i / (count - 1))


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, value)) / 100)


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    node = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs})
    node.text = text


def _axes(svg: ET.Element, points: Sequence[YearPoint]) -> None:
    for value in range(0, 101, 20):
        y = f"{_y(value):.1f}"
        ET.SubElement(svg, "line", x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=y, y2=y,
                      stroke="#dddddd")  # fmt: skip
        _text(svg, LEFT - 8, _y(value) + 4, str(value), **{"text-anchor": "end"})
    for i, point in enumerate(points):
        _text(svg, _x(i, len(points)), HEIGHT - BOTTOM + 18, str(point.year),
              **{"text-anchor": "middle"})  # fmt: skip


def _segments(values: Sequence[float | None], count: int) -> list[list[tuple[float, float]]]:
    """Runs of consecutive scored years, as points (a gap splits a line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((_x(i, count), _y(value)))
    return [run for run in runs if run]


def _line(svg: ET.Element, key: str, values: Sequence[float | None], count: int) -> None:
    colour, _ = LINES[key]
    group = ET.SubElement(svg, "g", {"class": f"line {key}", "stroke": colour, "fill": colour})
    width = "3" if key == "index" else "2"
    for run in _segments(values, count):
        text = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        ET.SubElement(group, "polyline", {"points": text, "fill": "none", "stroke-width": width})
        for x, y in run:
            ET.SubElement(group, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r="3")


def _legend(svg: ET.Element) -> None:
    for i, (colour, label) in enumerate(LINES.values()):
        y = TOP + 20 * i
        ET.SubElement(svg, "rect", x=str(WIDTH - RIGHT + 20), y=str(y - 9), width="12",
                      height="12", fill=colour)  # fmt: skip
        _text(svg, WIDTH - RIGHT + 38, y + 2, label)


def index_chart(city_code: str, points: Sequence[YearPoint]) -> str:
    """The SVG document: each dimension's score and the index, year over year."""
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "width": str(WIDTH), "height": str(HEIGHT),
        "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img", "font-family": "sans-serif",
        "font-size": "12",
    })  # fmt: skip
    title = f"Indeks per dimensi dari tahun ke tahun - {city_code}"
    ET.SubElement(svg, "title").text = title
    _text(svg, LEFT, 22, title, **{"font-size": "15", "font-weight": "bold"})
    _axes(svg, points)
    for key in DIMENSIONS:
        _line(svg, key, [p.dimensions.get(key) for p in points], len(points))
    _line(svg, "index", [p.index for p in points], len(points))
    _legend(svg)
    return ET.tostring(svg, encoding="unicode")
