"""Helpers shared by the model modules."""
from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ...extensions import Base, db

# Every model subclasses db.Model, Flask-SQLAlchemy's class built from Base (the same registry and
# metadata, plus its naming, bind and repr mixins). A type checker cannot take an attribute as a base
# class, so it is shown the typed Base that db.Model is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL; shown in WIB by the formatting module."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(kind: type[enum.Enum]) -> sa.Enum:
    # Stored as its value in a plain string column, so adding a member needs no ALTER TYPE.
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
