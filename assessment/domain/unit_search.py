"""Finding units by name: the reviewers' queue and the results narrow their lists by what a reviewer typed.

The match runs in the database (a condition on Unit), so a long list is never loaded to be filtered in Python.
Every word typed must occur in the unit's full or short name, in any case and any order ("dinas sos" finds
"Dinas Sosial"); ``%`` and ``_`` are taken literally.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Unit

MAX_QUERY_LENGTH = 100
MAX_WORDS = 6


def search_text(raw: str | None) -> str:
    """What was typed, trimmed and cut to a sensible length (a longer text names no unit)."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def unit_name_matches(text: str) -> sa.ColumnElement[bool]:
    """True for units whose name holds every word of ``text``; true for all when nothing was typed."""
    words = text.split()[:MAX_WORDS]
    return sa.and_(sa.true(), *(sa.or_(Unit.name.icontains(word, autoescape=True),
                                       Unit.short_name.icontains(word, autoescape=True)) for word in words))


def matching_unit_ids(text: str) -> set[int]:
    """The ids of the units (active or not) whose name holds every word of ``text``."""
    return set(db.session.scalars(sa.select(Unit.id).where(unit_name_matches(text))))
