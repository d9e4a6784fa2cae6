"""The radar chart of the six aspect scores, as SVG drawn by our code (web page and PDF alike).

Pure Python, no Flask: every label is XML-escaped, so the string may be marked safe.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 132
RINGS = 5
SIDE_ROOM = 85  # room left and right of the circle for the axis labels
LABEL_STYLE = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="14" font-weight="600" fill="#1f2937"'
VALUE_STYLE = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="14" font-weight="700" fill="#0b3d91"'


def _point(index: int, count: int, share: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count  # first axis straight up, clockwise
    return CENTRE + RADIUS * share * math.cos(angle), CENTRE + RADIUS * share * math.sin(angle)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar_chart(axes: Sequence[tuple[str, Decimal]], *, title: str, max_value: int = 5,
                compare: Sequence[Decimal] | None = None, value_text=str) -> str:
    """One polygon of values (and optionally a dashed comparison polygon) on 0..max_value axes.

    ``axes`` holds (label, value) pairs; ``value_text`` formats a value for its label
    (the caller passes the Indonesian decimal formatter).
    """
    count = len(axes)
    parts = []
    for ring in range(1, RINGS + 1):
        ring_points = [_point(i, count, ring / RINGS) for i in range(count)]
        parts.append(f'<polygon points="{_polygon(ring_points)}" fill="none" stroke="#d5dbe7" stroke-width="1"/>')
    for i, (label, value) in enumerate(axes):
        x, y = _point(i, count, 1)
        parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c3cad8" stroke-width="1"/>')
        lx, ly = _point(i, count, 1.22)
        anchor = "middle" if abs(lx - CENTRE) < 20 else ("start" if lx > CENTRE else "end")
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" {LABEL_STYLE}>{escape(label)}</text>'
                     f'<text x="{lx:.1f}" y="{ly + 15:.1f}" text-anchor="{anchor}" {VALUE_STYLE}>'
                     f'{escape(value_text(value))}</text>')
    if compare is not None:
        shares = [float(v) / max_value for v in compare]
        compare_points = _polygon([_point(i, count, s) for i, s in enumerate(shares)])
        parts.append(f'<polygon points="{compare_points}" fill="none" stroke="#c9a227" stroke-width="2" '
                     'stroke-dasharray="5 4"/>')
    shares = [float(value) / max_value for _, value in axes]
    points = [_point(i, count, s) for i, s in enumerate(shares)]
    parts.append(f'<polygon points="{_polygon(points)}" fill="#0b3d91" fill-opacity="0.22" stroke="#0b3d91" '
                 'stroke-width="2.5"/>')
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#0b3d91"/>' for x, y in points]
    description = "; ".join(f"{label} {value_text(value)}" for label, value in axes)
    # Presentation attributes rather than CSS: WeasyPrint and every browser draw them alike.
    width = SIZE + 2 * SIDE_ROOM
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" width="{width}" height="{SIZE}" '
            f'viewBox="{-SIDE_ROOM} 0 {width} {SIZE}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title><desc>{escape(description)}</desc>' + "".join(parts) + "</svg>")
