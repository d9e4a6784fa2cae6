"""Command-line interface: ``flask score``, ``flask instrument ...`` and ``flask demo``."""
from flask import Flask

from .demo import demo_command
from .instrument import instrument_group
from .score import score_command


def register(app: Flask) -> None:
    for command in (score_command, instrument_group, demo_command):
        app.cli.add_command(command)
