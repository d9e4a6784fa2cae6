"""The public survey form: no login, one light page (no Bootstrap, no JavaScript), every refusal with its reason.

GET shows the questionnaire with a fresh signed token; POST stores the response once and answers 303 to the
thank-you page. Refused, nothing is stored: the rate limits (per address, and per unit for stored responses), the
honeypot, a device that answered today, a form sent too fast, a closed survey.
"""
from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_limiter import RateLimitExceeded

from ..domain.formatting import today_wib
from ..domain.models import Channel, Period, Unit
from ..extensions import csrf, db
from ..web.security import limiter
from . import guard
from .forms import PublicForm, profile_of
from .services import closed_reason, public_survey_or_404, record_response, settings_for

bp = Blueprint("survey_public", __name__, url_prefix="/s")

TOKEN_SLOT = "@@SURVEY-TOKEN@@"
BUSY = "Server sedang sibuk sehingga penilaian Anda belum tersimpan. Jawaban Anda masih di bawah: tekan Kirim sekali lagi."
TOO_MANY_FROM_ADDRESS = ("Terlalu banyak isian dari jaringan yang sama dalam waktu singkat. Tunggu beberapa menit, "
                         "lalu kirim kembali.")
TOO_MANY_FOR_UNIT = ("Survei unit ini sedang menerima sangat banyak isian sekaligus. Tunggu satu menit, lalu kirim "
                     "kembali.")


def _survey_key() -> str:
    return f"{request.view_args['year']}/{request.view_args['unit_id']}"


@bp.route("/<int:year>/<int:unit_id>", methods=["GET", "POST"])
@csrf.exempt  # no session to protect: the form's signed token (guard.py) stands in for the CSRF token
@limiter.limit(lambda: current_app.config["SURVEY_RATE_LIMIT_PER_ADDRESS"], methods=["POST"],
               error_message=TOO_MANY_FROM_ADDRESS)
@limiter.limit(lambda: current_app.config["SURVEY_RATE_LIMIT_PER_UNIT"], key_func=_survey_key, methods=["POST"],
               error_message=TOO_MANY_FOR_UNIT, deduct_when=lambda response: response.status_code == 303)
def form(year: int, unit_id: int):
    """The questionnaire of one unit and period (the link and QR code of its poster)."""
    unit, period, settings = public_survey_or_404(year, unit_id)
    today = today_wib()
    closed = closed_reason(unit, period, today)
    if closed:
        return _refused(unit, period, closed, 403 if request.method == "POST" else 200)
    if request.method == "GET":
        page = _cached(_render_blank_form, unit.id, unit.name, period.id, period.year, settings.f03_form,
                       tuple(settings.service_types))
        return page.replace(TOKEN_SLOT, guard.issue_token(unit.id, period.id))
    return _receive(unit, period, PublicForm(settings), today)


@bp.get("/<int:year>/<int:unit_id>/terima-kasih")
def thanks(year: int, unit_id: int):
    unit, period, _ = public_survey_or_404(year, unit_id)
    return render_template("surveys/public/thanks.html", unit=unit, period=period)


@bp.errorhandler(RateLimitExceeded)
def _too_many(error: RateLimitExceeded):
    """A flood meets this page thousands of times a minute: rendered once per survey and message, no query after
    that, and no log line beyond the access log's 429."""
    return _cached(_render_too_many, request.view_args["year"], request.view_args["unit_id"], error.description), 429


def _receive(unit: Unit, period: Period, questionnaire: PublicForm, today):
    """Check the post in order (bot trap, device, token, fill time, answers) and store it, or say why not."""
    cookie = guard.device_cookie_name(period.year, unit.id)
    try:
        guard.check_honeypot(questionnaire.website.data)
        guard.check_device(request, cookie, today)
    except guard.Refusal as refusal:
        return _refused(unit, period, str(refusal), refusal.status)
    try:
        token = guard.read_token(questionnaire.token.data or "", unit.id, period.id)
    except guard.Refusal as refusal:  # an old or damaged page: the answers stay, with a new token
        questionnaire.token.data = guard.issue_token(unit.id, period.id)
        return _form_page(unit, period, questionnaire, str(refusal), refusal.status)
    try:
        guard.check_fill_time(token)
    except guard.Refusal as refusal:
        return _form_page(unit, period, questionnaire, str(refusal), refusal.status)
    if not questionnaire.validate():
        return _form_page(unit, period, questionnaire, "Ada jawaban yang perlu diperbaiki; lihat tanda merah.", 400)
    try:
        record_response(unit, period, questionnaire.settings, skm_answers=questionnaire.skm_answers(),
                        f03_answers=questionnaire.f03_answers(), profile=profile_of(questionnaire),
                        channel=Channel.ONLINE, answered_on=today, nonce=token.nonce)
        db.session.commit()  # a repeat of a stored form changes nothing and is thanked the same way
    except sa.exc.OperationalError:  # a busy or unreachable database: the answers stay on screen, to send again
        db.session.rollback()
        current_app.logger.exception("Survey response not stored")
        return _form_page(unit, period, questionnaire, BUSY, 503)
    response = redirect(url_for("survey_public.thanks", year=period.year, unit_id=unit.id), code=303)
    guard.remember_device(response, cookie, url_for("survey_public.form", year=period.year, unit_id=unit.id), today)
    return response


def _cached(render, *key) -> str:
    """A page of the public survey from ``render(*key)``, kept per app (worker process): the key holds everything
    the page shows, so a change of it renders anew. Rendering the 40 questions took ~8 ms a request."""
    pages = current_app.extensions.setdefault("survey_pages", {})
    if render not in pages:
        pages[render] = functools.lru_cache(maxsize=256)(render)
    return pages[render](*key)


def _render_blank_form(unit_id: int, unit_name: str, period_id: int, year: int, f03_form: str,
                       service_types: tuple[str, ...]) -> str:
    """The empty questionnaire; only the token (TOKEN_SLOT) differs between two respondents."""
    unit, period = db.session.get(Unit, unit_id), db.session.get(Period, period_id)
    questionnaire = PublicForm(settings_for(unit, period), formdata=None)
    questionnaire.token.data = TOKEN_SLOT
    return render_template("surveys/public/form.html", unit=unit, period=period, form=questionnaire, message=None)


def _render_too_many(year: int, unit_id: int, message: str) -> str:
    """(Keyed by ids only: a unit renamed meanwhile keeps its old name on this page until the worker is replaced.)"""
    unit, period, _ = public_survey_or_404(year, unit_id)
    return render_template("surveys/public/refused.html", unit=unit, period=period, message=message)


def _form_page(unit: Unit, period: Period, questionnaire: PublicForm, message: str | None = None, status: int = 200):
    page = render_template("surveys/public/form.html", unit=unit, period=period, form=questionnaire, message=message)
    return page, status


def _refused(unit: Unit, period: Period, message: str, status: int):
    return render_template("surveys/public/refused.html", unit=unit, period=period, message=message), status


