"""The scorecard of one unit (Laporan Hasil Penilaian Mandiri) and its Berita Acara."""
from __future__ import annotations

import sqlalchemy as sa

from ..domain import field_visits, objections
from ..domain.evidence.services import evidence_by_indicator
from ..domain.formatting import angka
from ..domain.labels import STATUS_LABELS
from ..domain.letterhead import current_settings, logo_src
from ..domain.models import Assessment, AssessmentStatus, Role, User
from ..domain.numbering import current_number, replaced_number
from ..domain.recommendations import recommendations_of
from ..domain.scoring import aspect_contribution, score
from ..extensions import db
from ..web.access import review_finished
from ..web.printing.documents import Document
from ..web.printing.stamp import svg_data_uri
from ..web.radar import radar_chart


def scorecard(assessment: Assessment, reviewer_work: bool | None = None) -> Document:
    """``reviewer_work``: print the reviewer's decisions, notes and levels (default: once the review is finished;
    the views pass access.sees_reviewer_work, which lets staff see a review under way)."""
    context = _common(assessment, reviewer_work)
    instrument, final = context["instrument"], context["final"]
    context |= {  # what only the scorecard shows (the Berita Acara is the one-page minutes)
        "contributions": {a.code: aspect_contribution(instrument, final, a.code) for a in instrument.aspects},
        "radar": svg_data_uri(radar_chart([(f"{a.code.upper()}. {a.label}", final.aspects[a.code]) for a in instrument.aspects],
                                          title="Nilai per aspek", value_text=angka)),
        "recommendations": recommendations_of(assessment) if not context["is_draft"] else [],
        "evidence": evidence_by_indicator(assessment),
    }
    return Document(
        kind="kartu", template="reports/scorecard.html", title=context["title"], context=context,
        filename=f"kartu-{_slug(assessment)}.pdf", figures=_figures(assessment, context),
        assessment=assessment, period=assessment.period,
    )


def berita_acara(assessment: Assessment, reviewer_work: bool | None = None) -> Document:
    """The minutes of the verification, with the Nomor its verification was given (numbering.py)."""
    context = _common(assessment, reviewer_work)
    numbered = None if context["is_draft"] else current_number(assessment)
    context |= {"title": f"Berita Acara Hasil Verifikasi PEKPPP Tahun {assessment.period.year}",
                "berita_acara": numbered,
                "replaced": replaced_number(assessment) if numbered else None,
                # the masa sanggah that led to this verification, if any: its objections and answers are printed
                "window": _closed_window(assessment) if numbered else None,
                # its annex, the field visit's record (the evaluators' work: printed when the review is shown)
                "visit_annex": _visit_annex(assessment) if context["shows_review"] else None}
    figures = _figures(assessment, context) | ({"Nomor": numbered.nomor} if numbered else {})
    return Document(
        kind="berita-acara", template="reports/berita_acara.html", title=context["title"], context=context,
        filename=f"berita-acara-{_slug(assessment)}.pdf", figures=figures, assessment=assessment, period=assessment.period,
    )


def _closed_window(assessment: Assessment):
    window = objections.current_window(assessment)
    return window if window is not None and window.closed_at is not None else None


def _visit_annex(assessment: Assessment) -> dict | None:
    visit = field_visits.visit_of(assessment)
    if visit is None:
        return None
    by_code = {finding.indicator_code: finding for finding in visit.findings}
    return {"visit": visit, "members": field_visits.present_members(assessment, visit),
            "officials": field_visits.officials_of(visit),
            "findings": [(indicator, by_code[indicator.code]) for indicator in assessment.instrument.indicators
                         if indicator.code in by_code]}


def _common(assessment: Assessment, reviewer_work: bool | None) -> dict:
    instrument = assessment.instrument
    verified = assessment.status == AssessmentStatus.VERIFIED
    shows_review = review_finished(assessment) if reviewer_work is None else reviewer_work
    own_levels = assessment.levels()
    self_score = score(instrument, own_levels)
    verified_levels = assessment.verified_levels() if shows_review else {}
    # A result sent as hasil sementara is reviewed in full: its provisional score is the verified levels' already.
    reviewed = assessment.status in (AssessmentStatus.VERIFIED, AssessmentStatus.PROVISIONAL) and shows_review
    final = score(instrument, verified_levels) if reviewed else self_score
    settings = current_settings()
    return {
        "title": f"Laporan Hasil Penilaian Mandiri PEKPPP Tahun {assessment.period.year}",
        "assessment": assessment,
        "unit": assessment.unit,
        "period": assessment.period,
        "instrument": instrument,
        "settings": settings,
        "logo": logo_src(settings),
        "is_draft": not verified,
        "status_label": STATUS_LABELS[assessment.status],
        "self_score": self_score,
        "final": final,
        "verified_levels": verified_levels,
        "reviews": assessment.reviews if shows_review else {},
        "shows_review": shows_review,
        "own_levels": own_levels,
        # indicators whose level the reviewer changed, in instrument order
        "changed": [i for i in instrument.indicators
                    if verified_levels.get(i.code) is not None and verified_levels[i.code] != own_levels.get(i.code)],
        "head_of_unit": _head_of_unit(assessment),
    }


def _figures(assessment: Assessment, context: dict) -> dict[str, str]:
    final = context["final"]
    return {
        "Unit": assessment.unit.name,
        "Periode": str(assessment.period.year),
        "IPP": angka(final.ipp),
        "Nilai konversi": angka(final.konversi),
        "Predikat": f"{final.predikat.letter} · {final.predikat.kategori}",  # kategori may hold brackets itself
        "Status": context["status_label"],
    }


def _head_of_unit(assessment: Assessment) -> User | None:
    """The unit's OPD account signs as Kepala OPD (the first active one, by id)."""
    query = sa.select(User).where(User.unit_id == assessment.unit_id, User.role == Role.OPD, User.active)
    return db.session.scalar(query.order_by(User.id).limit(1))


def _slug(assessment: Assessment) -> str:
    name = "".join(c if c.isalnum() else "-" for c in assessment.unit.short_name.lower())
    return f"{name.strip('-')}-{assessment.period.year}"
