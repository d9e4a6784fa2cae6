"""``flask instrument check|import FILE``: validate and store a year's instrument (YAML, JSON or Excel .xlsx)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..domain.instrument import Instrument, InstrumentError
from ..domain.instrument_store import InstrumentFile, import_instrument, read_instrument_file
from ..extensions import db
from .common import fail


@click.group("instrument")
def instrument_group() -> None:
    """Periksa dan impor berkas instrumen PEKPPP."""


def _read(file: str) -> InstrumentFile:
    try:
        return read_instrument_file(Path(file).read_bytes())
    except OSError as exc:
        fail(f"berkas tidak dapat dibaca: {file} ({exc.strerror})")
    except InstrumentError as exc:
        _fail_with(exc)


def _fail_with(error: InstrumentError) -> None:
    """Every problem of the file, one per line, so a long list stays readable in a terminal."""
    for problem in error.problems:
        click.echo(f"Kesalahan: {problem}", err=True)
    sys.exit(1)


def describe(instrument: Instrument) -> str:
    answering = "dengan fakta F-01" if instrument.has_facts else "memilih level"
    pending = sum(1 for item in instrument.daring_variants if item.daring.pending)
    daring = f", {len(instrument.daring_variants)} varian daring ({pending} tertunda)" if instrument.daring_variants else ""
    return (
        f"{instrument.code} ({instrument.name}): {len(instrument.aspects)} aspek, "
        f"{len(instrument.indicators)} indikator, {len(instrument.additional)} informasi tambahan, {answering}{daring}"
    )


@instrument_group.command("check")
@click.argument("file")
def check_command(file: str) -> None:
    """Periksa berkas instrumen tanpa menyimpannya."""
    click.echo(f"Instrumen sah: {describe(_read(file).instrument)}")


@instrument_group.command("import")
@click.argument("file")
def import_command(file: str) -> None:
    """Simpan instrumen agar dapat dipakai oleh periode baru."""
    checked = _read(file)
    try:
        _, created = import_instrument(checked.text)
    except InstrumentError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(("Instrumen disimpan: " if created else "Instrumen sudah ada, tidak diubah: ") + describe(checked.instrument))
