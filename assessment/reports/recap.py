"""The recap for the Sekda / Wali Kota meeting: summary, ranking, heat map, units still pending."""
from __future__ import annotations

from decimal import Decimal

from ..formatting import angka
from ..models import Period
from ..results.services import PeriodResults, period_results
from ..scoring import round2
from .documents import Document
from .settings import current_settings, logo_src

# Heat-map bands on the shown aspect score, aligned with the predikat table's thresholds.
HEAT_BANDS = ((Decimal("2.50"), "heat-low"), (Decimal("3.50"), "heat-mid"), (Decimal("4.00"), "heat-good"),
              (Decimal("4.50"), "heat-high"))


def heat_class(value: Decimal) -> str:
    shown = round2(value)  # the value printed in the cell: half up, as everywhere
    for upper, css_class in HEAT_BANDS:
        if shown <= upper:
            return css_class
    return "heat-top"


def recap(period: Period, results: PeriodResults | None = None) -> Document:
    results = results or period_results(period)
    settings = current_settings()
    average = results.average
    title = f"Rekapitulasi Hasil Evaluasi PEKPPP Tahun {period.year}"
    context = {
        "title": title,
        "period": period,
        "results": results,
        "instrument": results.instrument,
        "settings": settings,
        "logo": logo_src(settings),
        "is_draft": bool(results.pending),
        "status_label": "sementara",
        "heat_class": heat_class,
        "max_count": max([count for _, count in results.distribution] + [1]),
    }
    figures = {
        "Periode": str(period.year),
        "Unit terverifikasi": f"{len(results.ranking)} dari {len(results.rows)}",
        "Rata-rata IPP Pemda": angka(average.ipp) if average else "–",
        "Predikat rata-rata": f"{average.predikat.letter} · {average.predikat.kategori}" if average else "–",
    }
    return Document(kind="rekap", template="reports/recap.html", title=title, context=context,
                    filename=f"rekap-pekppp-{period.year}.pdf", figures=figures, period=period)
