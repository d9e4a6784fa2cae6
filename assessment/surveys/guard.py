"""What keeps the public form honest without a third-party CAPTCHA (the rate limits are in public.py):

- a signed form token, issued with the page: it names the survey, carries the time the page was served (the
  minimum fill time) and a one-time nonce (a form sent twice is stored once);
- a honeypot field people never see and programs fill in;
- a signed cookie per survey holding the day of this device's last response: one response per device per day.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date

from flask import Request, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from werkzeug.wrappers import Response  # what redirect() gives, and the base of Flask's own

TOKEN_SALT = "survey-form"
DEVICE_SALT = "survey-device"
DEVICE_COOKIE_SECONDS = 2 * 24 * 3600  # past tomorrow whatever the time zone; only today's date refuses


class Refusal(Exception):
    """A response the survey does not accept; the message is shown to the respondent as is."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FormToken:
    nonce: str
    issued_at: int  # seconds since the epoch


def issue_token(unit_id: int, period_id: int) -> str:
    return _token_serializer().dumps([unit_id, period_id, secrets.token_hex(16)])


def read_token(token: str, unit_id: int, period_id: int) -> FormToken:
    """The token's nonce and time, or Refusal when it is missing, forged, expired or made for another survey."""
    max_age = current_app.config["SURVEY_FORM_MAX_AGE_SECONDS"]
    try:
        (token_unit, token_period, nonce), issued_at = _token_serializer().loads(token, max_age=max_age,
                                                                               return_timestamp=True)
    except SignatureExpired:
        raise Refusal("Formulir ini sudah terlalu lama terbuka. Muat ulang halaman, lalu isi dan kirim kembali.",
                      400) from None
    except (BadSignature, ValueError, TypeError):
        raise Refusal("Formulir tidak dikenali. Muat ulang halaman survei, lalu isi dan kirim kembali.", 400) from None
    if (token_unit, token_period) != (unit_id, period_id):
        raise Refusal("Formulir ini milik survei lain. Buka kembali tautan survei unit ini.", 400)
    return FormToken(str(nonce), int(issued_at.timestamp()))


def check_fill_time(token: FormToken) -> None:
    minimum = current_app.config["SURVEY_MIN_FILL_SECONDS"]
    if time.time() - token.issued_at < minimum:
        raise Refusal("Isian terkirim terlalu cepat, sebelum pertanyaan sempat dibaca. Periksa kembali jawaban "
                      "Anda, lalu tekan Kirim sekali lagi.", 400)


def check_honeypot(value: str | None) -> None:
    if value:
        raise Refusal("Isian tidak diterima: kolom yang seharusnya dibiarkan kosong ikut terisi (biasanya oleh program "
                      "pengisi otomatis). Matikan isi-otomatis peramban, lalu kirim kembali.", 400)


def device_cookie_name(period_year: int, unit_id: int) -> str:
    return f"survei_{period_year}_{unit_id}"


def check_device(request: Request, cookie_name: str, today: date) -> None:
    signed = request.cookies.get(cookie_name)
    if not signed:
        return
    try:
        answered_on = _device_serializer().loads(signed)
    except BadSignature:
        return  # a damaged or forged cookie proves nothing: treat the device as new
    if answered_on == today.isoformat():
        raise Refusal("Perangkat ini sudah mengirim penilaian untuk unit ini hari ini. Terima kasih! Satu perangkat "
                      "dapat mengisi sekali sehari.", 409)


def remember_device(response: Response, cookie_name: str, path: str, today: date) -> None:
    response.set_cookie(cookie_name, _device_serializer().dumps(today.isoformat()), max_age=DEVICE_COOKIE_SECONDS,
                        path=path, httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])


def _token_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)
