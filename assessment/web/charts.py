"""Small server-side SVG charts: no JavaScript and no library, safe to inline in a page.

Every piece of text is XML-escaped where it is placed, so the finished string may be
marked safe by the caller. A chart scales with its container through its viewBox and
describes itself to screen readers (role="img" with <title> and <desc>). The functions
take plain (label, value) bars and a maximum, so other charts (a radar chart, a heat
map) can live beside them. Pure Python: no Flask import.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

Number = Decimal | int

# The natural size: a chart is drawn this wide on a desktop and shrinks with a narrow screen, where
# 14-unit text still reads at about 12 px.
WIDTH = 400
FONT_SIZE = 14
VALUE_PAD = 6  # space between a bar's end and its printed value


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    tone: str = ""  # CSS class suffix that colours the bar, e.g. "predikat-a"


def format_number(value: Number, decimals: int = 2) -> str:
    """Indonesian notation, rounded half up: 4.225 -> "4,23", 1234 -> "1.234"."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def vertical_bar_chart(bars: Sequence[Bar], *, title: str, max_value: Number, chart_id: str,
                       decimals: int = 2, description: str = "") -> str:
    """Columns side by side, the value above each column and its label below; suits short labels."""
    top, plot_height, bottom, side = 26, 160, 30, 4
    height = top + plot_height + bottom
    slot = (WIDTH - 2 * side) / max(len(bars), 1)
    baseline = top + plot_height
    parts = [f'<line class="chart-axis" x1="{side}" y1="{baseline}" x2="{WIDTH - side}" y2="{baseline}"/>']
    for position, bar in enumerate(bars):
        centre = side + slot * (position + 0.5)
        bar_height = plot_height * _share(bar.value, max_value)
        bar_width = slot * 0.62
        parts += [
            _rect(bar, centre - bar_width / 2, baseline - bar_height, bar_width, bar_height),
            _text(format_number(bar.value, decimals), centre, baseline - bar_height - VALUE_PAD, "middle", "chart-value"),
            _text(bar.label, centre, baseline + 20, "middle", "chart-label"),
        ]
    return _svg(chart_id, title, description or _describe(bars, decimals), height, parts)


def horizontal_bar_chart(bars: Sequence[Bar], *, title: str, max_value: Number, chart_id: str,
                         decimals: int = 2, ticks: Sequence[Number] = (), description: str = "") -> str:
    """One row per bar, the label above its bar and the value after it; suits long labels on narrow screens."""
    side, value_room, row_height, bar_height, top = 4, 46, 46, 16, 8
    plot_width = WIDTH - 2 * side - value_room
    axis_y = top + row_height * len(bars) + 4
    height = axis_y + (24 if ticks else 8)
    parts = []
    for tick in ticks:
        x = side + plot_width * _share(tick, max_value)
        parts += [
            f'<line class="chart-grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}"/>',
            _text(format_number(tick, 0), x, axis_y + 16, "middle", "chart-tick"),
        ]
    for position, bar in enumerate(bars):
        row_top = top + row_height * position
        bar_width = plot_width * _share(bar.value, max_value)
        parts += [
            _text(bar.label, side, row_top + 14, "start", "chart-label"),
            _rect(bar, side, row_top + 20, bar_width, bar_height),
            _text(format_number(bar.value, decimals), side + bar_width + VALUE_PAD, row_top + 33, "start", "chart-value"),
        ]
    return _svg(chart_id, title, description or _describe(bars, decimals), height, parts)


def _share(value: Number, max_value: Number) -> float:
    """The bar's length as a fraction of the full scale, kept inside 0..1 (and no division by zero)."""
    if max_value <= 0:
        return 0.0
    return min(max(float(value) / float(max_value), 0.0), 1.0)


def _describe(bars: Sequence[Bar], decimals: int) -> str:
    return "; ".join(f"{bar.label}: {format_number(bar.value, decimals)}" for bar in bars) + "."


def _rect(bar: Bar, x: float, y: float, width: float, height: float) -> str:
    tone = f" bar-{escape(bar.tone)}" if bar.tone else ""
    return (f'<rect class="chart-bar{tone}" fill="#0b3d91" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" rx="3"><title>{escape(bar.label)}</title></rect>')


def _text(content: str, x: float, y: float, anchor: str, css_class: str) -> str:
    return f'<text class="{css_class}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(content)}</text>'


def _svg(chart_id: str, title: str, description: str, height: int, parts: list[str]) -> str:
    ident = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-size="{FONT_SIZE}" fill="#1f2937">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
