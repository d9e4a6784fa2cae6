"""Storing imported instruments in the database (the instrument package itself stays Flask-free)."""
from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .instrument import InstrumentError
from .instrument.loader import parse_instrument_text
from .models import InstrumentVersion


def import_instrument(text: str) -> tuple[InstrumentVersion, bool]:
    """Store a valid instrument once and return (version, created); a changed file needs a new code.

    Periods keep pointing at the version they were opened with, so silently
    replacing a stored instrument would rescore past years.
    """
    instrument = parse_instrument_text(text)
    existing = db.session.scalar(sa.select(InstrumentVersion).where(InstrumentVersion.code == instrument.code))
    if existing is not None:
        if existing.instrument != instrument:
            raise InstrumentError(
                f"kode instrumen '{instrument.code}' sudah dipakai oleh isi yang berbeda; beri kode baru"
            )
        return existing, False
    version = InstrumentVersion(code=instrument.code, name=instrument.name, definition=text)
    db.session.add(version)
    db.session.flush()
    return version, True
