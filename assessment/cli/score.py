"""``flask score FILE.json``: the regulation's numbers for one set of levels, as JSON."""
from __future__ import annotations

import json

import click

from ..domain.instrument import InstrumentError, load_default_instrument, load_instrument_file
from ..domain.scoring import levels_from_json, score
from .common import fail


def _decimal(value) -> str:
    return f"{value:.2f}"


def score_report(result) -> dict:
    return {
        "ipp": _decimal(result.ipp_shown),
        "konversi": _decimal(result.konversi),
        "predikat": result.predikat.letter,
        "kategori": result.predikat.kategori,
        "aspects": {code: _decimal(result.aspect_shown(code)) for code in result.aspects},
    }


@click.command("score")
@click.argument("file")
@click.option("--instrument", "instrument_file", help="Berkas instrumen lain (bawaan: PEKPPP 2023).")
def score_command(file: str, instrument_file: str | None) -> None:
    """Hitung IPP, konversi, predikat dan nilai aspek dari berkas JSON {kode: level}."""
    try:
        instrument = load_instrument_file(instrument_file) if instrument_file else load_default_instrument()
        with open(file, encoding="utf-8") as handle:
            data = json.load(handle)
        levels = levels_from_json(instrument, data)
    except OSError as exc:
        fail(f"berkas tidak dapat dibaca: {file} ({exc.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"berkas bukan JSON yang sah: {file} ({exc})")
    except (InstrumentError, ValueError) as exc:
        fail(str(exc))
    click.echo(json.dumps(score_report(score(instrument, levels)), ensure_ascii=False))
