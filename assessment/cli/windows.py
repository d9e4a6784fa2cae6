"""``flask sanggah``: log every verification window that ended without the unit's word. For cron; safe to repeat."""
from __future__ import annotations

import click

from ..domain.formatting import today_wib
from ..domain.objections import record_lapses
from ..extensions import db


@click.command("sanggah")
def windows_command() -> None:
    """Catat masa sanggah yang berakhir tanpa tanggapan unit (dianggap menerima); untuk cron, aman diulang."""
    count = record_lapses(today_wib())
    db.session.commit()
    click.echo(f"Masa sanggah berakhir tanpa tanggapan: {count} dicatat.")
