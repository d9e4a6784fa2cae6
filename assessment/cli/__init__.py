"""Command-line interface: ``flask score``, ``flask instrument ...``, ``flask demo``, ``flask create-admin``,
``flask backup``, ``flask restore``, ``flask skm score``, ``flask evidence check``, ``flask notify`` and ``flask sanggah``."""
from flask import Flask

from .admin import create_admin_command
from .backup import backup_command, restore_command
from .demo import demo_command
from .evidence import evidence_group
from .instrument import instrument_group
from .notify import notify_command
from .score import score_command
from .skm import skm_group
from .windows import windows_command


def register(app: Flask) -> None:
    for command in (score_command, instrument_group, demo_command, create_admin_command, backup_command, restore_command,
                    skm_group, evidence_group, notify_command, windows_command):
        app.cli.add_command(command)
