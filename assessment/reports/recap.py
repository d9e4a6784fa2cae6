"""The documents of the leadership meeting: the recap (summary, ranking, heat map, units still pending), and the
meeting pack's cover letter and table of contents."""
from __future__ import annotations

from decimal import Decimal

from flask import render_template

from ..domain.formatting import angka
from ..domain.letterhead import current_settings, logo_src
from ..domain.models import Period
from ..domain.results import PeriodResults, period_results
from ..domain.scoring import round2
from ..web.printing.documents import Document

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
    title = f"Rekapitulasi Hasil Evaluasi PEKPPP Tahun {period.year}"
    context = _meeting_context(period, results, title) | {
        "heat_class": heat_class,
        "max_count": max([count for _, count in results.distribution] + [1]),
    }
    return Document(kind="rekap", template="reports/recap.html", title=title, context=context,
                    filename=f"rekap-pekppp-{period.year}.pdf", figures=_figures(period, results), period=period)


def cover_letter(period: Period, results: PeriodResults) -> Document:
    """The meeting pack's first page: the Bagian Organisasi's letter to the leadership, "Mengetahui" the Sekda."""
    title = f"Surat Pengantar Bahan Rapat Pimpinan PEKPPP Tahun {period.year}"
    return Document(kind="surat-pengantar", template="reports/cover_letter.html", title=title,
                    context=_meeting_context(period, results, title), filename=f"surat-pengantar-pekppp-{period.year}.pdf",
                    figures=_figures(period, results), period=period)


def contents_html(period: Period, results: PeriodResults, own_page: int, starts: list[int]) -> str:
    """The pack's table of contents; ``starts`` holds the first page of the cover letter, the recap, then each
    ranked unit's Berita Acara and scorecard."""
    ranked = [row for row in results.ranking if row.assessment]  # as pack.py lists them
    units = [(row, starts[2 + 2 * n], starts[3 + 2 * n]) for n, row in enumerate(ranked)]
    return render_template("reports/contents.html", period=period, own_page=own_page, cover_page=starts[0],
                           recap_page=starts[1], units=units)


def _meeting_context(period: Period, results: PeriodResults, title: str) -> dict:
    settings = current_settings()
    return {
        "title": title,
        "period": period,
        "results": results,
        "instrument": results.instrument,
        "settings": settings,
        "logo": logo_src(settings),
        "is_draft": bool(results.pending),
        "status_label": "sementara",
    }


def _figures(period: Period, results: PeriodResults) -> dict[str, str]:
    average = results.average
    return {
        "Periode": str(period.year),
        "Unit terverifikasi": f"{len(results.ranking)} dari {len(results.rows)}",
        "Rata-rata IPP Pemda": angka(average.ipp) if average else "–",
        "Predikat rata-rata": f"{average.predikat.letter} · {average.predikat.kategori}" if average else "–",
    }
