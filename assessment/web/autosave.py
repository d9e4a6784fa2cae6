"""The web side of saving per indicator, shared by the OPD's aspect pages and the review page.

A save comes either from the page's script (``X-Autosave: 1``, answered in JSON, never an HTML page) or
from the page's own buttons (answered with a redirect, or the page again with what was refused). Either
way a failure says what happened with its own status, and nothing the user typed is thrown away:

- 409 an indicator changed by someone else (its reply carries their text), or by a save that came in between
  (retried: the retry then sees it), 422 refused input or a form that may no longer change, 503 a busy or
  unreachable database (retried), 507 a full evidence disk.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import get_template_attribute
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from ..domain.evidence.storage import StorageError
from ..domain.formatting import jam
from ..domain.instrument import Indicator
from ..domain.lifecycle import ActionRefused
from ..domain.saves import Entry, Outcome, Result, SaveReport
from .errors import DATABASE_UNAVAILABLE
from .form_fields import IndicatorEntryForm, digest, entries, field_key

DATABASE_BUSY = ("Belum tersimpan: basis data sedang sibuk atau tidak terjangkau. Isian Anda masih di layar; "
                 "simpan lagi sebentar lagi.")
CHANGED_MEANWHILE = "Belum tersimpan: jawaban baru saja diubah di tempat lain. Dicoba lagi."
# A save that came in between: a version that moved on (StaleDataError), the same answer inserted meanwhile
# (IntegrityError, after validation nothing else breaks a constraint). Retried, the save sees it and decides.
CONCURRENT = (StaleDataError, sa.exc.IntegrityError)
# A lock wait too long, a lost connection, an exhausted pool: the same save may succeed a moment later.
SAVE_FAILURES = (ActionRefused, StorageError, *CONCURRENT, *DATABASE_UNAVAILABLE)


@dataclass(frozen=True)
class Failure:
    status: int
    message: str
    retry: bool  # the page's script tries the same save again by itself

    def as_json(self) -> dict:
        return {"status": "failed", "message": self.message, "retry": self.retry}


def failure_of(error: Exception) -> Failure:
    """How a save that failed as a whole is answered; it changed nothing (the caller rolled back)."""
    if isinstance(error, ActionRefused):
        return Failure(422, str(error), retry=False)
    if isinstance(error, CONCURRENT):
        return Failure(409, CHANGED_MEANWHILE, retry=True)
    if isinstance(error, StorageError):
        return Failure(error.status, str(error), retry=False)
    return Failure(503, DATABASE_BUSY, retry=True)


def sent_entries(form: FlaskForm, indicators: Sequence[Indicator]) -> tuple[list[Entry], dict[str, Result]]:
    """The indicators this save carries (those whose version was sent), and those refused by validation."""
    sent, invalid = [], {}
    for indicator, entry in entries(form, indicators):
        if not entry.was_sent:
            continue
        messages = [message for errors in entry.errors.values() for message in errors]
        if messages:
            invalid[indicator.code] = Result(Outcome.INVALID, message=messages[0])
        else:
            sent.append(Entry(indicator.code, entry.values(), entry.version.data or 0, entry.key.data or "",
                              entry.untouched))
    return sent, invalid


def entry_replies(report: SaveReport, entry_form: type[IndicatorEntryForm]) -> dict[str, dict]:
    """Per indicator (by field key), for the page's script: the outcome and the new version and digest, the other
    side's values (by field name) with who and when, or why it was refused."""
    replies: dict[str, dict[str, Any]] = {}
    for code, result in report.results.items():
        reply = replies[field_key(code)] = {"status": result.outcome.value}
        stored = result.stored
        if stored is not None:
            reply["version"] = stored.version
        if result.outcome is Outcome.CONFLICT:
            assert stored is not None, "a conflict carries the other side's values"
            reply["theirs"] = {"values": stored.named(entry_form.VALUE_FIELDS), "by": stored.by or "–",
                               "at": jam(stored.at) if stored.at else "–"}
        elif stored is not None:
            reply["shown"] = digest(stored.values)
        if result.message:
            reply["message"] = result.message
    return replies


def carry_over(target: FlaskForm, source: FlaskForm, codes: Iterable[str]) -> None:
    """Show in ``target`` (a form of the stored values) what the user sent for ``codes``, with its errors.

    The version and digest stay the stored ones, so saving again deliberately keeps what was typed.
    """
    for code in codes:
        sent, shown = source[field_key(code)].form, target[field_key(code)].form
        for name in type(sent).VALUE_FIELDS:
            shown[name].data = sent[name].data
            shown[name].errors = list(sent[name].errors)


def rendered_card(template: str, macro: str, *args: Any) -> str:
    """A card exactly as the page renders it (the same macro), for an autosave reply to put in place."""
    return str(get_template_attribute(template, macro)(*args))
