"""The SVG charts: well-formed, accessible, escaped, Indonesian decimals, safe with odd numbers."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from assessment.web.charts import Bar, format_number, horizontal_bar_chart, vertical_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = [vertical_bar_chart, horizontal_bar_chart]


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_well_formed_accessible_and_scalable(chart):
    svg = chart([Bar("A", 2), Bar("B", 1)], title="Sebaran predikat", max_value=2, chart_id="grafik", decimals=0)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 ")
    assert root.get("aria-labelledby") == "grafik-title grafik-desc"
    assert root.find(f"{SVG}title").text == "Sebaran predikat"
    assert root.find(f"{SVG}desc").text == "A: 2; B: 1."
    assert len(root.findall(f"{SVG}rect")) == 2


@pytest.mark.parametrize("chart", CHARTS)
def test_every_text_is_escaped(chart):
    name = "<Dinas & Co>"
    svg = chart([Bar(name, 3, tone='x" onload="alert(1)')], title=f"Judul {name}", max_value=5,
                chart_id='id"><script>', description=f"Uraian {name}")
    assert "<Dinas" not in svg and "<script>" not in svg and "&lt;Dinas &amp; Co&gt;" in svg
    root = ET.fromstring(svg)  # still well-formed
    assert name in texts(root)
    assert root.find(f"{SVG}title").text == f"Judul {name}"
    assert root.find(f"{SVG}desc").text == f"Uraian {name}"
    assert root.find(f"{SVG}rect").get("class") == 'chart-bar bar-x" onload="alert(1)'  # an attribute value, not an attribute


def test_values_print_with_indonesian_decimals():
    svg = horizontal_bar_chart([Bar("Kebijakan", Decimal("4.225")), Bar("SDM", Decimal("3"))],
                               title="Rata-rata", max_value=5, chart_id="aspek", ticks=range(6))
    shown = texts(ET.fromstring(svg))
    assert "4,23" in shown and "3,00" in shown  # half up, comma, two places
    assert [t for t in shown if t.isdigit()] == ["0", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (Decimal("4.225"), 2, "4,23"),
    (Decimal("4.224"), 2, "4,22"),
    (Decimal("1234.5"), 2, "1.234,50"),
    (3, 0, "3"),
    (Decimal("2.5"), 0, "3"),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("chart", CHARTS)
def test_zero_scale_empty_and_oversized_values_do_not_break(chart):
    assert ET.fromstring(chart([Bar("A", 0)], title="t", max_value=0, chart_id="z"))
    assert ET.fromstring(chart([], title="t", max_value=0, chart_id="e"))
    root = ET.fromstring(chart([Bar("A", 9), Bar("B", -1)], title="t", max_value=5, chart_id="o"))
    sizes = [float(rect.get("width" if chart is horizontal_bar_chart else "height")) for rect in root.iter(f"{SVG}rect")]
    assert sizes[1] == 0 and 0 < sizes[0] <= 480
