"""``flask instrument check|import FILE``: validate and store a year's instrument."""
from __future__ import annotations

from pathlib import Path

import click

from ..extensions import db
from ..instrument import Instrument, InstrumentError
from ..instrument.loader import parse_instrument_text
from ..instruments import import_instrument
from .common import fail


@click.group("instrument")
def instrument_group() -> None:
    """Periksa dan impor berkas instrumen PEKPPP."""


def _read(file: str) -> tuple[str, Instrument]:
    try:
        text = Path(file).read_text(encoding="utf-8")
        return text, parse_instrument_text(text)
    except OSError as exc:
        fail(f"berkas tidak dapat dibaca: {file} ({exc.strerror})")
    except UnicodeDecodeError:
        fail(f"berkas bukan teks UTF-8: {file}")
    except InstrumentError as exc:
        fail(str(exc))


def describe(instrument: Instrument) -> str:
    return (
        f"{instrument.code} ({instrument.name}): {len(instrument.aspects)} aspek, "
        f"{len(instrument.indicators)} indikator, {len(instrument.additional)} informasi tambahan"
    )


@instrument_group.command("check")
@click.argument("file")
def check_command(file: str) -> None:
    """Periksa berkas instrumen tanpa menyimpannya."""
    _, instrument = _read(file)
    click.echo(f"Instrumen sah: {describe(instrument)}")


@instrument_group.command("import")
@click.argument("file")
def import_command(file: str) -> None:
    """Simpan instrumen agar dapat dipakai oleh periode baru."""
    text, instrument = _read(file)
    try:
        _, created = import_instrument(text)
    except InstrumentError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(("Instrumen disimpan: " if created else "Instrumen sudah ada, tidak diubah: ") + describe(instrument))
