"""The Pemda's letterhead settings (one row), with defaults until the admin fills them in.

The one source of the Pemda's name for every page, mail and PDF: the saved row, else PEKPPP_PEMDA_NAME (config).
"""
from __future__ import annotations

import base64
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from werkzeug.datastructures import FileStorage

from ..extensions import db
from .models import PemdaSettings


def current_settings() -> PemdaSettings:
    """The saved settings, or an unsaved default row (reading a report never writes)."""
    saved = db.session.scalar(sa.select(PemdaSettings).limit(1))
    if saved is not None:
        return saved
    pemda_name = current_app.config["PEMDA_NAME"]
    city = pemda_name.removeprefix("Pemerintah ").removeprefix("Kota ").removeprefix("Kabupaten ").strip()
    return PemdaSettings(pemda_name=pemda_name, office_name="Sekretariat Daerah · Bagian Organisasi", city=city,
                         signatory_title="Kepala Bagian Organisasi", addressee=f"{_head_of(pemda_name)} {city}",
                         **dict.fromkeys(OPTIONAL_FIELDS, ""))


def pemda_name() -> str:
    """The Pemda's name, for every page's title and every mail; read once a request (a page prints it three times,
    and each read is a query)."""
    if not has_request_context():
        return current_settings().pemda_name
    if PEMDA_NAME_KEY not in request.environ:  # the WSGI environ lives exactly as long as the request
        request.environ[PEMDA_NAME_KEY] = current_settings().pemda_name
    return str(request.environ[PEMDA_NAME_KEY])


PEMDA_NAME_KEY = "pekppp.pemda_name"


def _head_of(pemda_name: str) -> str:
    return "Bupati" if "Kabupaten" in pemda_name else "Wali Kota"


def logo_src(settings: PemdaSettings) -> str:
    """The uploaded logo inline as data: URI, else the app's own emblem from static/."""
    if settings.logo and settings.logo_mime:
        return f"data:{settings.logo_mime};base64,{base64.b64encode(settings.logo).decode()}"
    return "/static/img/logo.svg"


# What the letterhead page edits besides the logo: the required fields, then those that may stay empty.
OPTIONAL_FIELDS = ("address", "postal_code", "phone", "email", "website", "signatory_name", "signatory_nip",
                   "signatory_pangkat", "sekda_name", "sekda_nip", "sekda_pangkat")
TEXT_FIELDS = ("pemda_name", "office_name", "city", "signatory_title", "addressee", *OPTIONAL_FIELDS)

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_LOGO_BYTES = 512 * 1024


def read_logo(upload: FileStorage | None) -> tuple[tuple[bytes, str] | None, str | None]:
    """(bytes, mime) of an uploaded logo checked by its content, or an Indonesian reason to refuse it."""
    if not upload or not getattr(upload, "filename", ""):
        return None, None
    data = upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        return None, "Logo terlalu besar; paling besar 512 KB."
    for magic, mime in LOGO_TYPES.items():
        if data.startswith(magic):
            return (data, mime), None
    return None, "Logo harus berkas PNG atau JPEG."


def save_settings(settings: PemdaSettings, form: Any, logo: tuple[bytes, str] | None) -> None:
    for name in TEXT_FIELDS:
        setattr(settings, name, (getattr(form, name).data or "").strip())
    if form.remove_logo.data:
        settings.logo = settings.logo_mime = None
    elif logo:
        settings.logo, settings.logo_mime = logo
    db.session.add(settings)
    db.session.flush()
