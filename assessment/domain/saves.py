"""Saving per indicator: what happens to each indicator a save carries, for answers and reviews alike.

A save carries, per indicator, the values, the version of the stored row the user's page was based on and
the save's idempotency key. Each indicator is decided alone, so a conflict on one never refuses or
overwrites another:

- unchanged: the values equal what is stored, or the page sent back untouched what it showed;
- saved: the version is the stored one, or the stored version was made by this very save (a retry whose
  first reply was lost carries the same key: the user's own change, not someone else's);
- conflict: someone else saved newer, different values; they are returned so the user can choose.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Outcome(enum.StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    INVALID = "invalid"


@dataclass(frozen=True)
class Entry:
    """One indicator's part of a save."""

    code: str
    values: tuple
    version: int
    key: str = ""
    untouched: bool = False  # a full-page save sent back exactly what the page showed


@dataclass(frozen=True)
class Stored:
    """The stored row an entry is compared with (empty values and version 0 when there is none yet)."""

    values: tuple
    version: int = 0
    key: str | None = None
    by: str = ""
    at: datetime | None = None

    def named(self, names: tuple[str, ...]) -> dict[str, str]:
        """The values by the form's field names, as a page shows them ("" for none)."""
        return {name: "" if value is None else str(value) for name, value in zip(names, self.values, strict=True)}


def decide(entry: Entry, stored: Stored) -> Outcome:
    if entry.untouched or entry.values == stored.values:
        return Outcome.UNCHANGED
    if entry.version == stored.version or (entry.key and entry.key == stored.key):
        return Outcome.SAVED
    return Outcome.CONFLICT


@dataclass(frozen=True)
class Result:
    """What became of one indicator; ``stored`` is the row after the save (the other side's, for a conflict)."""

    outcome: Outcome
    stored: Stored | None = None
    message: str = ""


@dataclass
class SaveReport:
    """Every indicator of one save, by code."""

    results: dict[str, Result] = field(default_factory=dict)

    def codes(self, outcome: Outcome) -> list[str]:
        return [code for code, result in self.results.items() if result.outcome is outcome]

    @property
    def complete(self) -> bool:
        """Nothing was refused: every indicator is saved or was already so."""
        return not (self.codes(Outcome.CONFLICT) or self.codes(Outcome.INVALID))

    def http_status(self) -> int:
        if self.codes(Outcome.CONFLICT):
            return 409
        if self.codes(Outcome.INVALID):
            return 422
        return 200
