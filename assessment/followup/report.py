"""The Laporan Pemantauan Tindak Lanjut: where every unit stands with one period's recommendations, for the
leadership meeting (a letter of the Bagian Organisasi, the table per unit, the late recommendations)."""
from __future__ import annotations

from datetime import date

from ..domain import followup
from ..domain.formatting import tanggal
from ..domain.letterhead import current_settings, logo_src
from ..domain.models import Period
from ..web.printing.documents import Document


def monitoring_report(period: Period, today: date) -> Document:
    rows = followup.monitoring(period, today)
    totals = followup.totals(rows)
    # The late ones by indicator title: the leadership reads what is late (the recommendation's text is on the page)
    late = followup.late_recommendations(period, today)
    instrument = period.instrument

    def title_of(code: str | None) -> str:
        found = instrument.find_item(code) if code else None
        return found.title if found else "Rekomendasi umum"

    settings = current_settings()
    title = f"Laporan Pemantauan Tindak Lanjut Rekomendasi Hasil Evaluasi PEKPPP Tahun {period.year}"
    recommendation_count = sum(row.total for row in rows)
    context = {"title": title, "period": period, "rows": rows, "totals": totals, "late": late, "today": today,
               "settings": settings, "logo": logo_src(settings), "is_draft": False,
               "recommendation_count": recommendation_count, "Standing": followup.Standing, "title_of": title_of}
    figures = {"Periode hasil": str(period.year), "Per tanggal": tanggal(today), "Unit": str(len(rows)),
               "Rekomendasi": str(recommendation_count), "Selesai": str(totals[followup.Standing.ACCEPTED]),
               "Terlambat": str(totals[followup.Standing.LATE])}
    return Document(kind="pemantauan-tindak-lanjut", template="followup/report_pdf.html", title=title,
                    filename=f"pemantauan-tindak-lanjut-pekppp-{period.year}.pdf", figures=figures, context=context,
                    period=period)

