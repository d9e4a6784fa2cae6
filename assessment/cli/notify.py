"""``flask notify``: queue the reminders due today and send what is due in the outbox. For cron; safe to repeat."""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app

from ..notices.mail import mail_enabled, settings_error
from ..notices.rounds import notify_round
from .common import fail


@click.command("notify")
def notify_command() -> None:
    """Antrekan pengingat batas waktu hari ini dan kirim surel yang menunggu (untuk cron; aman diulang)."""
    config = current_app.config
    if not mail_enabled(config):
        click.echo("Pengiriman surel tidak aktif: PEKPPP_MAIL_SERVER belum diatur. Tidak ada yang dikirim.")
        return
    if problem := settings_error(config):
        fail(problem)
    queued, tally = notify_round(datetime.now(UTC))
    click.echo(f"Pengingat baru: {queued}. Terkirim: {tally.sent}; dicoba lagi nanti: {tally.retrying}; "
               f"gagal: {tally.failed}.")
