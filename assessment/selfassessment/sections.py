"""The form's pages: one per aspect, then the unscored additional items."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.instrument import Indicator, Instrument

ADDITIONAL_KEY = "tambahan"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Indicator, ...]
    scored: bool


def sections_of(instrument: Instrument) -> list[Section]:
    pages = [Section(a.code, a.name, a.indicators, scored=True) for a in instrument.aspects]
    if instrument.additional:
        pages.append(Section(ADDITIONAL_KEY, "Informasi Tambahan", instrument.additional, scored=False))
    return pages


def neighbours(instrument: Instrument, key: str) -> tuple[Section | None, Section, Section | None]:
    """The section with this key and the ones before and after it; KeyError if unknown."""
    pages = sections_of(instrument)
    for index, section in enumerate(pages):
        if section.key == key:
            before = pages[index - 1] if index > 0 else None
            after = pages[index + 1] if index + 1 < len(pages) else None
            return before, section, after
    raise KeyError(key)
