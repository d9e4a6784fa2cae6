"""``flask evidence check [--fix]``: compare the evidence rows with the files on disk (assessment/domain/evidence/check.py)."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..domain.evidence.check import check_evidence, fix_evidence
from ..domain.evidence.storage import evidence_root


@click.group("evidence")
def evidence_group() -> None:
    """Berkas bukti dukung di disk."""


@evidence_group.command("check")
@click.option("--fix", is_flag=True,
              help="Selesaikan pemindahan yang terputus, pindahkan berkas yatim ke _yatim/, hapus sisa .part.")
@with_appcontext
def check_command(fix: bool) -> None:
    """Cocokkan catatan bukti dukung di basis data dengan berkas di folder bukti dukung (kode keluar 1 bila tidak cocok)."""
    root = evidence_root()
    found = check_evidence(root)
    for path in found.orphan_files:
        click.echo(f"Berkas tanpa catatan (yatim): {path}")
    for path in found.leftover_parts:
        click.echo(f"Sisa unggahan tanpa catatan: {path}")
    for path, _ in found.unfinished_moves:
        click.echo(f"Unggahan yang belum dipindahkan ke tempatnya: {path}")
    for row in found.rows_without_file:
        click.echo(f"Catatan tanpa berkas: bukti #{row.id} \"{row.original_name}\" (penilaian {row.assessment_id}, "
                   f"indikator {row.indicator_code}; pulihkan {row.assessment_id}/{row.stored_name} dari cadangan)")
    if found.clean:
        click.echo("Semua catatan bukti dukung cocok dengan berkasnya.")
        return
    if fix:
        for line in fix_evidence(root, found):
            click.echo(line)
        if not found.rows_without_file:
            return
    click.echo(f"Tidak cocok: {len(found.rows_without_file)} catatan tanpa berkas, {len(found.orphan_files)} berkas "
               f"yatim, {len(found.unfinished_moves)} pemindahan terputus, {len(found.leftover_parts)} sisa unggahan"
               + (". Jalankan dengan --fix untuk memperbaiki yang dapat diperbaiki." if not fix else "."), err=True)
    sys.exit(1)
