from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user, login_required
from markupsafe import Markup

from ..domain.formatting import predikat_class
from ..domain.models import Unit
from ..domain.periods import all_periods, current_period, period_of_year_or_404
from ..domain.results import PeriodResults, history_rows, period_results
from ..extensions import db
from ..web.access import STAFF_ROLES, role_required
from ..web.charts import Bar, horizontal_bar_chart, vertical_bar_chart
from ..web.paging import page_of
from .export import XLSX_MIMETYPE, workbook_bytes

bp = Blueprint("results", __name__, url_prefix="/organisasi/hasil")

@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """A period's results: ranking, predikat distribution, aspect averages, Pemda average, units still pending."""
    periods = all_periods()
    wanted = request.args.get("tahun", "").strip()
    period = next((p for p in periods if str(p.year) == wanted), None) if wanted else current_period()
    if period is None and wanted:
        page = render_template("results/index.html", periods=periods, period=None, results=None, missing_year=wanted)
        return page, 404
    results = period_results(period) if period else None
    charts = _charts(results) if results and results.ranking else {}
    pages = {
        "ranking_page": page_of(results.ranking, request.args.get("halaman", type=int)),
        "pending_page": page_of(results.pending, request.args.get("halaman_belum", type=int)),
    } if results else {}
    return render_template("results/index.html", periods=periods, period=period, results=results, charts=charts, **pages)


@bp.get("/unit/<int:unit_id>")
@login_required
def unit_history(unit_id: int):
    """One unit's IPP, predikat and aspect scores in every period, newest first, with the change per year."""
    unit = get_visible_unit_or_404(unit_id)
    rows = history_rows(unit)
    aspects = rows[0].period.instrument.aspects if rows else ()
    return render_template("results/unit_history.html", unit=unit, rows=rows, aspects=aspects)


@bp.get("/<int:year>/excel")
@role_required(*STAFF_ROLES)
def export_excel(year: int):
    """The period's results as an Excel workbook (sheets "Unit" and "Indikator")."""
    period = period_of_year_or_404(year)
    stream = workbook_bytes(period_results(period))
    return send_file(stream, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"hasil-pekppp-{year}.xlsx")


def get_visible_unit_or_404(unit_id: int) -> Unit:
    """A unit whose results the current user may read: any (staff) or its own (OPD).

    Another unit answers 404, not 403, as for assessments, so an OPD cannot learn which ids exist.
    """
    unit = db.get_or_404(Unit, unit_id)
    if current_user.role not in STAFF_ROLES and unit.id != current_user.unit_id:
        abort(404)
    return unit


def _charts(results: PeriodResults) -> dict[str, Markup]:
    """The page's two charts; charts.py escapes every text it places, so the SVG may be marked safe."""
    year = results.period.year
    distribution = vertical_bar_chart(
        [Bar(p.letter, count, tone=predikat_class(p)) for p, count in results.distribution],
        title=f"Sebaran predikat unit terverifikasi, tahun {year}",
        max_value=max(count for _, count in results.distribution),
        chart_id="grafik-predikat",
        decimals=0,
    )
    aspects = horizontal_bar_chart(
        [Bar(f"{aspect.code.upper()}. {aspect.name}", mean) for aspect, mean in results.aspect_averages],
        title=f"Rata-rata nilai per aspek, unit terverifikasi tahun {year} (skala 0–5)",
        max_value=5,
        ticks=range(6),
        chart_id="grafik-aspek",
    )
    return {"distribution": Markup(distribution), "aspects": Markup(aspects)}
