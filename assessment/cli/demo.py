"""``flask demo``: demonstration data. Safe to run again."""
import click

from ..demo import load_demo
from ..domain.formatting import today_wib
from ..extensions import db


@click.command("demo")
def demo_command() -> None:
    """Isi basis data dengan data contoh (unit, akun, periode berjalan dan tahun lalu). Aman dijalankan ulang."""
    message = load_demo(today_wib())
    db.session.commit()
    click.echo(message)
