"""A refused action, handled once for every view that changes state: commit and say so, or roll back and say why."""
from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from flask import flash
from flask_wtf import FlaskForm

from ..domain.lifecycle import ActionRefused
from ..extensions import db

T = TypeVar("T")


class Refused:
    """What ``commit_or_flash`` gives back when the change was refused (its message is already flashed)."""


REFUSED: Final = Refused()


def commit_or_flash(change: Callable[[], T], success: str | None) -> T | Refused:
    """Run ``change`` and commit it, flashing ``success`` (None: the view says it itself); when the domain refuses
    it (ActionRefused), roll back whatever it had done and flash the refusal. The change's result, or REFUSED."""
    try:
        result = change()
        db.session.commit()
    except ActionRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "danger")
        return REFUSED
    if success:
        flash(success, "success")
    return result


def first_error(form: FlaskForm) -> str:
    """The first message of a form that did not validate, to flash or show (each field's messages are Indonesian)."""
    return next((message for messages in form.errors.values() for message in messages), "Isian belum lengkap.")
