import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Stop a command with one line on stderr and a non-zero exit code."""
    click.echo(f"Kesalahan: {message}", err=True)
    sys.exit(1)
