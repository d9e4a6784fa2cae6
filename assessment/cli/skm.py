"""``flask skm score FILE.json``: the SKM numbers of PermenPANRB 14/2017 for a set of responses, as JSON."""
from __future__ import annotations

import json

import click

from ..domain import skm
from .common import fail


def skm_report(result: skm.SkmResult) -> dict:
    return {
        "n": result.respondents,
        "nrr": {code: str(result.nrr_shown(code)) for code in skm.UNSUR_CODES},
        "ikm": str(result.ikm_shown),
        "nilai": str(result.nilai_shown),
        "mutu": result.mutu.letter,
        "kinerja": result.mutu.kinerja,
    }


@click.group("skm")
def skm_group() -> None:
    """Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""


@skm_group.command("score")
@click.argument("file")
def score_command(file: str) -> None:
    """Hitung NRR per unsur, IKM, nilai, mutu dan kinerja dari berkas JSON {"responses": [[u1, …, u9], …]}."""
    try:
        with open(file, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        fail(f"berkas tidak dapat dibaca: {file} ({exc.strerror})")
    except (ValueError, RecursionError) as exc:  # bad UTF-8, bad JSON, nesting too deep, an integer of 5,000 digits
        fail(f"berkas bukan JSON yang sah: {file} ({type(exc).__name__})")
    try:
        result = skm.score(skm.responses_from_json(data))
    except ValueError as exc:
        fail(str(exc))
    if not result.complete:
        missing = [code for code in skm.UNSUR_CODES if result.nrr[code] is None]
        fail(f"unsur tanpa jawaban satu pun: {', '.join(missing)}; NRR dan IKM tidak dapat dihitung")
    click.echo(json.dumps(skm_report(result), ensure_ascii=False))
