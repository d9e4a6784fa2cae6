"""The survey's printed documents: the A4 poster with the QR code, and the unit's Laporan SKM.

Rendered by the reports' WeasyPrint set-up (reports/pdf.py: only static/ files and inline data) with the reports'
QR helper; not entered in the register of verifiable documents, since they carry survey results, not a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template, url_for

from ..domain import skm
from ..domain.formatting import tanggal, today_wib, waktu
from ..domain.letterhead import current_settings, logo_src
from ..domain.models import Period, Role, SurveyResponse, Unit, User, utcnow
from ..extensions import db
from ..web.charts import Bar, horizontal_bar_chart
from ..web.printing.pdf import render_pdf
from ..web.printing.stamp import qr_data_uri, svg_data_uri
from .services import UnitSurvey


@dataclass(frozen=True)
class Pdf:
    filename: str
    data: bytes


def public_url(unit: Unit, period: Period) -> str:
    """The address printed on the poster: PUBLIC_BASE_URL when set, else the address of this request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("survey_public.form", year=period.year, unit_id=unit.id)
    return f"{base.rstrip('/')}{path}" if base else url_for("survey_public.form", year=period.year, unit_id=unit.id,
                                                             _external=True)


def poster(unit: Unit, period: Period) -> Pdf:
    settings = current_settings()
    url = public_url(unit, period)
    html = render_template("surveys/print/poster.html", unit=unit, period=period, settings=settings,
                           logo=logo_src(settings), url=url, qr=qr_data_uri(url))
    return Pdf(f"poster-survei-{slug(unit)}-{period.year}.pdf", _render(html))


def nrr_chart(survey: UnitSurvey) -> str:
    """NRR per unsur as horizontal bars on the 1–4 scale (an SVG)."""
    bars = [Bar(f"{unsur.code} {unsur.name}", survey.skm.nrr_shown(unsur.code) or 0) for unsur in skm.UNSUR]
    return horizontal_bar_chart(bars, title="Nilai rata-rata (NRR) per unsur", max_value=4, chart_id="nrr",
                                decimals=2, ticks=(0, 1, 2, 3, 4))


def report(survey: UnitSurvey) -> Pdf:
    unit, period = survey.unit, survey.period
    settings = current_settings()
    first, last = db.session.execute(sa.select(sa.func.min(SurveyResponse.answered_on), sa.func.max(SurveyResponse.answered_on))
                                     .where(SurveyResponse.unit_id == unit.id, SurveyResponse.period_id == period.id)).one()
    html = render_template(
        "surveys/print/report.html", survey=survey, unit=unit, period=period, settings=settings,
        logo=logo_src(settings), chart=svg_data_uri(nrr_chart(survey)), first_day=first, last_day=last,
        suggestions=_suggestions(unit, period), head_of_unit=_head_of_unit(unit), generated=waktu(utcnow()),
        today=tanggal(today_wib()), unsur=skm.UNSUR, unsur_by_code=skm.UNSUR_BY_CODE,
    )
    return Pdf(f"laporan-skm-{slug(unit)}-{period.year}.pdf", _render(html))


def _render(html: str) -> bytes:
    return render_pdf(html, Path(current_app.static_folder))


def _suggestions(unit: Unit, period: Period, limit: int = 15) -> list[tuple[str, int]]:
    """The suggestions respondents wrote, the most frequent first (the report lists at most ``limit``)."""
    count = sa.func.count()
    query = (sa.select(SurveyResponse.suggestion, count).where(SurveyResponse.unit_id == unit.id,
                                                               SurveyResponse.period_id == period.id,
                                                               SurveyResponse.suggestion.is_not(None))
             .group_by(SurveyResponse.suggestion).order_by(count.desc(), SurveyResponse.suggestion).limit(limit))
    return [(text, number) for text, number in db.session.execute(query)]


def _head_of_unit(unit: Unit) -> User | None:
    """The unit's OPD account signs as its head (the first active one), as on the scorecard."""
    query = sa.select(User).where(User.unit_id == unit.id, User.role == Role.OPD, User.active).order_by(User.id)
    return db.session.scalar(query.limit(1))


def slug(unit: Unit) -> str:
    return "".join(c if c.isalnum() else "-" for c in unit.short_name.lower()).strip("-")
