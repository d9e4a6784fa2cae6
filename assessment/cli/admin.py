"""``flask create-admin``: an administrator account from the command line (the first one, on a new server).

Asks for each value that no option gave. With --password-stdin nothing is asked: the password is the
first line of stdin, so a script never puts it on a command line (where ``ps`` shows it).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import click
from sqlalchemy.exc import IntegrityError

from ..admin.rules import FULL_NAME_MAX, nip_error, normalise_nip, normalise_username, username_error
from ..admin.user_services import UserDetails, user_named
from ..auth.passwords import context_words, password_problem
from ..domain import audit
from ..domain.models import Role, User
from ..extensions import db
from .common import fail


def _full_name_problem(full_name: str) -> str | None:
    if not full_name:
        return "Nama lengkap wajib diisi."
    return f"Nama lengkap paling banyak {FULL_NAME_MAX} karakter." if len(full_name) > FULL_NAME_MAX else None


@dataclass(frozen=True)
class Question:
    label: str
    option: str
    normalise: Callable[[str], str]
    problem: Callable[[str], str | None]  # why a normalised answer is refused, or None
    optional: bool = False


USERNAME = Question("Nama pengguna", "--username", normalise_username, username_error)
FULL_NAME = Question("Nama lengkap", "--full-name", str.strip, _full_name_problem)
NIP = Question("NIP (boleh kosong)", "--nip", normalise_nip, lambda nip: nip_error(nip) if nip else None, optional=True)


@click.command("create-admin")
@click.option("--username", help="Nama pengguna (huruf kecil, angka, titik, garis bawah, tanda hubung).")
@click.option("--full-name", help="Nama lengkap.")
@click.option("--nip", help="NIP 18 angka; boleh dikosongkan.")
@click.option("--password-stdin", is_flag=True,
              help="Baca kata sandi dari baris pertama stdin dan jangan tanyakan apa pun (untuk skrip).")
def create_admin_command(username: str | None, full_name: str | None, nip: str | None, password_stdin: bool) -> None:
    """Buat akun administrator; isian yang tidak diberikan lewat opsi akan ditanyakan."""
    ask = not password_stdin
    username = answer(USERNAME, username, ask)
    if user_named(username) is not None:
        fail(f"nama pengguna '{username}' sudah dipakai; akun tidak dibuat.")
    details = UserDetails(answer(FULL_NAME, full_name, ask), answer(NIP, nip, ask) or None, Role.ADMIN, None)
    words = context_words(full_name=details.full_name)
    password = _password_from_stdin(username, words) if password_stdin else _ask_password(username, words)
    try:
        create_admin(username, details, password)
        db.session.commit()
    except IntegrityError:  # created by someone else between the check above and now
        db.session.rollback()
        fail(f"nama pengguna '{username}' sudah dipakai; akun tidak dibuat.")
    click.echo(f"Akun administrator '{username}' dibuat.")


def create_admin(username: str, details: UserDetails, password: str) -> User:
    """An active administrator with the chosen password (no forced change: its owner just typed it)."""
    user = User(username=username, full_name=details.full_name, nip=details.nip, role=Role.ADMIN, unit=None, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.update", None, note=f"Akun dibuat lewat flask create-admin: {username}", new=details.describe())
    return user


def answer(question: Question, given: str | None, ask: bool) -> str:
    """An option's value, checked; asked (again) until valid when interactive, else refused with exit code 1."""
    while True:
        if given is None and not ask:
            if question.optional:
                return ""
            fail(f"{question.label.lower()} wajib diisi (opsi {question.option}).")
        raw = given if given is not None else click.prompt(question.label, default="" if question.optional else None,
                                                            show_default=False)
        value = question.normalise(raw)
        error = question.problem(value)
        if error is None:
            return value
        if not ask:
            fail(error)
        click.echo(error, err=True)
        given = None


def _ask_password(username: str, words: list[str]) -> str:
    while True:
        password = click.prompt("Kata sandi", hide_input=True)
        error = password_problem(password, username, words)
        if error:
            click.echo(error, err=True)
        elif click.prompt("Ulangi kata sandi", hide_input=True) != password:
            click.echo("Kedua kata sandi tidak sama; ulangi.", err=True)
        else:
            return password


def _password_from_stdin(username: str, words: list[str]) -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("kata sandi tidak terbaca dari stdin.")
    error = password_problem(password, username, words)
    if error:
        fail(error)
    return password
