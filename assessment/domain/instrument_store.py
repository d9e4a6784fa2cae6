"""Storing imported instruments in the database (the instrument package itself stays Flask-free)."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml

from ..extensions import db
from . import audit
from .instrument import BUNDLED_INSTRUMENT_PATHS, Instrument, InstrumentError, parse_instrument
from .instrument.diff import InstrumentDiff, compare
from .instrument.loader import parse_instrument_text
from .instrument.spreadsheet import is_workbook, read_workbook
from .models import InstrumentVersion, Period, User

MAX_UPLOAD_BYTES = 2_000_000


@dataclass(frozen=True)
class InstrumentFile:
    """A checked instrument and the text to store for it (a spreadsheet is stored as the YAML it reads as)."""

    text: str
    instrument: Instrument


def read_instrument_file(data: bytes) -> InstrumentFile:
    """An uploaded YAML/JSON file or .xlsx workbook, checked; InstrumentError lists every problem."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InstrumentError(f"Berkas lebih besar dari {MAX_UPLOAD_BYTES // 1_000_000} MB.")
    if is_workbook(data):
        contents = read_workbook(data)
        text = yaml.safe_dump(contents, allow_unicode=True, sort_keys=False, width=120)
        return InstrumentFile(text, parse_instrument(contents))
    if not data.strip():
        raise InstrumentError("Berkas kosong.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError("Berkas bukan teks UTF-8 (YAML/JSON) dan bukan spreadsheet Excel (.xlsx).") from None
    return InstrumentFile(text, parse_instrument_text(text))


def import_instrument(text: str) -> tuple[InstrumentVersion, bool]:
    """Store a valid instrument once and return (version, created); a changed file needs a new code.

    Periods keep pointing at the version they were opened with, so silently
    replacing a stored instrument would rescore past years.
    """
    instrument = parse_instrument_text(text)
    existing = version_with_code(instrument.code)
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


def version_with_code(code: str) -> InstrumentVersion | None:
    return db.session.scalar(sa.select(InstrumentVersion).where(InstrumentVersion.code == code))


def latest_version(other_than: str | None = None, before: InstrumentVersion | None = None) -> InstrumentVersion | None:
    """The newest stored version (what a new period gets), skipping the code ``other_than``, or the newest one
    stored before ``before``."""
    query = sa.select(InstrumentVersion).order_by(InstrumentVersion.imported_at.desc(), InstrumentVersion.id.desc())
    if other_than is not None:
        query = query.where(InstrumentVersion.code != other_than)
    if before is not None:
        query = query.where(InstrumentVersion.imported_at <= before.imported_at, InstrumentVersion.id < before.id)
    return db.session.scalars(query.limit(1)).first()


def periods_per_version() -> dict[int, list[int]]:
    """For each stored version, the years of the periods that use it."""
    years: dict[int, list[int]] = {}
    for instrument_id, year in db.session.execute(sa.select(Period.instrument_id, Period.year).order_by(Period.year)):
        years.setdefault(instrument_id, []).append(year)
    return years


def bundled_not_stored() -> list[tuple[Path, Instrument]]:
    """The instrument files shipped with the app whose code is not stored yet (to offer for import)."""
    stored = set(db.session.scalars(sa.select(InstrumentVersion.code)))
    files = [(path, parse_instrument_text(path.read_text(encoding="utf-8"))) for path in BUNDLED_INSTRUMENT_PATHS]
    return [(path, instrument) for path, instrument in files if instrument.code not in stored]


def bundled_file(name: str) -> Path | None:
    return next((path for path in BUNDLED_INSTRUMENT_PATHS if path.name == name), None)


@dataclass(frozen=True)
class Preview:
    """What storing an instrument file would do: the version it would follow and what changes from it."""

    file: InstrumentFile
    base: InstrumentVersion | None  # the newest stored version with another code
    diff: InstrumentDiff | None
    stored: InstrumentVersion | None  # a version already stored under the same code

    @property
    def already_stored(self) -> bool:
        return self.stored is not None and self.stored.instrument == self.file.instrument

    @property
    def code_taken(self) -> bool:
        return self.stored is not None and not self.already_stored


def preview(file: InstrumentFile) -> Preview:
    """A new file is compared with the newest stored version; one already stored with the version before it."""
    stored = version_with_code(file.instrument.code)
    base = latest_version(other_than=file.instrument.code, before=stored)
    diff = compare(base.instrument, file.instrument) if base is not None else None
    return Preview(file, base, diff, stored)


def store_instrument(text: str, actor: User | None) -> InstrumentVersion:
    """Store a previewed file (checked again); InstrumentError when its code is taken by other content."""
    version, created = import_instrument(text)
    if not created:
        raise InstrumentError(f"Instrumen {version.code} sudah tersimpan; tidak ada yang diubah.")
    audit.record("instrument.import", actor, new=version.code, note=f"{version.name} ({version.code})")
    return version


def carry(text: str) -> str:
    """The text in a form that survives a hidden field unchanged."""
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def carried(token: str | None) -> bytes:
    try:
        return base64.b64decode((token or "").encode("ascii"), altchars=b"-_", validate=True)
    except ValueError:  # also binascii.Error and UnicodeEncodeError
        return b""
