"""Indonesian presentation of dates, times and decimals ("22 November 2026", "4,22")."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_decimal
from flask import Flask

from .access import ROLE_LABELS
from .form_fields import field_key
from .instrument.facts import KIND_LABELS as FACT_KIND_LABELS
from .lifecycle import STATUS_LABELS
from .models import DELIVERY_LABELS, KIND_LABELS, UnitKind
from .scoring import Predikat, round2

LOCALE = "id_ID"
WIB = get_timezone("Asia/Jakarta")


def tanggal(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(WIB) if value.tzinfo else _utc_to_wib(value)
    return format_date(value, "d MMMM y", locale=LOCALE)


def waktu(value: datetime | None) -> str:
    """A stored (naive UTC) timestamp as Jakarta time: "22 November 2026 14.05 WIB"."""
    if value is None:
        return "–"
    return format_datetime(value, "d MMMM y HH.mm", tzinfo=WIB, locale=LOCALE) + " WIB"


def jam(value: datetime) -> str:
    """A stored (naive UTC) timestamp as the time of day in Jakarta: "15.38 WIB"."""
    return format_datetime(value, "HH.mm", tzinfo=WIB, locale=LOCALE) + " WIB"


def angka(value: Decimal | int | None) -> str:
    """Two decimals with a comma, rounded half up first (Babel alone would round half even)."""
    if value is None:
        return "–"
    return format_decimal(round2(Decimal(value)), "#,##0.00", locale=LOCALE)


def selisih(value: Decimal | None) -> str:
    """A change with its sign: "+0,12", a true minus sign before a fall, "0,00"; a dash when there is none."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return sign + angka(abs(value))


def predikat_class(predikat: Predikat) -> str:
    """The CSS class that colours a predikat: "A-" -> "predikat-amin" (static/js/autosave.js builds the same)."""
    return "predikat-" + predikat.letter.replace("-", "min").lower()


def bilangan(value: int) -> str:
    """A count with a thousands dot: "5.000"."""
    return format_decimal(value, "#,##0", locale=LOCALE)


def sisa_waktu(deadline: date, today: date | None = None) -> str:
    """Days left to a deadline, in words: "21 hari lagi", "hari ini", "lewat 3 hari"."""
    days = (deadline - (today or today_wib())).days
    if days > 0:
        return f"{days} hari lagi"
    return "hari ini batas akhirnya" if days == 0 else f"lewat {-days} hari"


def today_wib() -> date:
    return datetime.now(WIB).date()


def _utc_to_wib(value: datetime) -> datetime:
    return value.replace(tzinfo=get_timezone("UTC")).astimezone(WIB)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(tanggal=tanggal, waktu=waktu, angka=angka, bilangan=bilangan, selisih=selisih,
                                 predikat_class=predikat_class, sisa_waktu=sisa_waktu)
    app.jinja_env.globals.update(
        status_labels=STATUS_LABELS,
        status_labels_by_value={status.value: label for status, label in STATUS_LABELS.items()},
        role_labels=ROLE_LABELS,
        unit_kinds=list(UnitKind),
        kind_labels=KIND_LABELS,
        delivery_labels=DELIVERY_LABELS,
        fact_kind_labels=FACT_KIND_LABELS,
        field_key=field_key,
    )
    app.context_processor(lambda: {"today": today_wib()})
