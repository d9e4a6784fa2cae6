"""Changes to units. Functions flush and audit; the view owns the commit."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from ..domain import audit
from ..domain.labels import DELIVERY_LABELS, KIND_LABELS
from ..domain.models import DeliveryMode, Unit, UnitKind, User
from ..extensions import db
from .rules import status_word


@dataclass(frozen=True)
class UnitDetails:
    name: str
    short_name: str
    kind: UnitKind
    delivery: DeliveryMode = DeliveryMode.LURING

    def describe(self) -> str:
        return f"{self.name} ({self.short_name}), {KIND_LABELS[self.kind]}, {DELIVERY_LABELS[self.delivery].lower()}"


def unit_details(unit: Unit) -> UnitDetails:
    return UnitDetails(unit.name, unit.short_name, unit.kind, unit.delivery)


def unit_with(column: InstrumentedAttribute, value: str, exclude: Unit | None = None) -> Unit | None:
    """The unit whose ``column`` equals ``value`` ignoring case (other than ``exclude``), if any."""
    query = sa.select(Unit).where(sa.func.lower(column) == value.lower())
    if exclude is not None and exclude.id is not None:
        query = query.where(Unit.id != exclude.id)
    return db.session.scalars(query.limit(1)).first()


def create_unit(details: UnitDetails, actor: User, note: str = "Unit dibuat") -> Unit:
    unit = Unit(name=details.name, short_name=details.short_name, kind=details.kind, delivery=details.delivery, active=True)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.update", actor, note=f"{note}: {details.short_name}", new=details.describe())
    return unit


def update_unit(unit: Unit, details: UnitDetails, actor: User) -> bool:
    """Apply the new details; audited (and True) only when something really changed."""
    before = unit_details(unit)
    if details == before:
        return False
    unit.name, unit.short_name, unit.kind, unit.delivery = details.name, details.short_name, details.kind, details.delivery
    db.session.flush()
    audit.record("unit.update", actor, note=f"Unit diubah: {unit.short_name}", old=before.describe(), new=details.describe())
    return True


def set_unit_active(unit: Unit, active: bool, actor: User) -> None:
    """Units are never deleted (their assessments stay); a deactivated one leaves the lists and choices."""
    if unit.active == active:
        return
    unit.active = active
    db.session.flush()
    audit.record("unit.update", actor, note=f"Unit {'diaktifkan' if active else 'dinonaktifkan'}: {unit.short_name}",
                 old=status_word(not active), new=status_word(active))
