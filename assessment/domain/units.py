"""The filtered lists of units and accounts (read only). Filters come from the query string."""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from wtforms import Form, SelectField, StringField
from wtforms.fields import SelectChoice

from ..extensions import db
from .labels import KIND_LABELS, ROLE_LABELS
from .models import Unit, User

STATUS_CHOICES = [SelectChoice("active", "Aktif"), SelectChoice("inactive", "Nonaktif"), SelectChoice("all", "Semua")]
ACTIVE_BY_STATUS = {"active": True, "inactive": False}


class UnitFilters(Form):
    """GET filters: no CSRF token, and a bad value falls back to the defaults."""

    status = SelectField("Status", choices=STATUS_CHOICES, default="active")
    kind = SelectField("Jenis", default="", choices=[SelectChoice("", "Semua jenis")]
                       + [SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])


class UserFilters(Form):
    q = StringField("Cari", default="")
    role = SelectField("Peran", default="", choices=[SelectChoice("", "Semua peran")]
                       + [SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])
    unit = SelectField("Unit", default="")
    status = SelectField("Status", choices=STATUS_CHOICES, default="active")


def read_filters(form_class: type[Form], args: Mapping | None) -> Form:
    """The filters from ``args``; all defaults if any value is not one of the choices."""
    form = _filters(form_class, args)
    return form if form.validate() else _filters(form_class, None)


def _filters(form_class: type[Form], args: Mapping | None) -> Form:
    form = form_class(args)
    if isinstance(form, UserFilters):
        form.unit.choices = [SelectChoice("", "Semua unit")] + [SelectChoice(str(u.id), u.short_name) for u in all_units()]
    return form


def all_units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).order_by(Unit.short_name)))


def active_units() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.active).order_by(Unit.short_name)))


def units_matching(filters: UnitFilters) -> list[Unit]:
    query = sa.select(Unit).order_by(Unit.short_name)
    if filters.status.data in ACTIVE_BY_STATUS:
        query = query.where(Unit.active == ACTIVE_BY_STATUS[filters.status.data])
    if filters.kind.data:
        query = query.where(Unit.kind == filters.kind.data)
    return list(db.session.scalars(query))


def active_accounts_per_unit() -> dict[int, int]:
    query = sa.select(User.unit_id, sa.func.count()).where(User.active, User.unit_id.is_not(None)).group_by(User.unit_id)
    return {unit_id: count for unit_id, count in db.session.execute(query)}


def users_matching(filters: UserFilters) -> list[User]:
    query = sa.select(User).order_by(User.username)
    if filters.status.data in ACTIVE_BY_STATUS:
        query = query.where(User.active == ACTIVE_BY_STATUS[filters.status.data])
    if filters.role.data:
        query = query.where(User.role == filters.role.data)
    if filters.unit.data:
        query = query.where(User.unit_id == int(filters.unit.data))
    if text := (filters.q.data or "").strip().lower():
        query = query.where(sa.or_(*(sa.func.lower(column).contains(text, autoescape=True)
                                     for column in (User.username, User.full_name, User.nip))))
    return list(db.session.scalars(query))


def accounts_of(unit: Unit) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.unit_id == unit.id).order_by(User.username)))
