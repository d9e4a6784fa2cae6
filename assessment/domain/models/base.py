"""Helpers shared by the model modules."""
from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL; shown in WIB by the formatting module."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(kind: type[enum.Enum]) -> sa.Enum:
    # Stored as its value in a plain string column, so adding a member needs no ALTER TYPE.
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
