"""Indonesian presentation of dates, times, decimals and official numbers ("22 November 2026", "4,22",
"NIP 19720315 199603 1 002", "dua ribu dua puluh enam")."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_decimal
from flask import Flask
from num2words import num2words

from ..web.form_fields import field_key
from .instrument.facts import KIND_LABELS as FACT_KIND_LABELS
from .labels import DELIVERY_LABELS, KIND_LABELS, ROLE_LABELS, STATUS_LABELS
from .models import UnitKind
from .scoring import Predikat, round2

LOCALE = "id_ID"
WIB = get_timezone("Asia/Jakarta")


def tanggal(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return format_date(wib_date(value), "d MMMM y", locale=LOCALE)


def wib_date(value: date | datetime) -> date:
    """The calendar day in Jakarta of a stored (naive UTC) timestamp; a date stays as it is."""
    if isinstance(value, datetime):
        return (value.astimezone(WIB) if value.tzinfo else _utc_to_wib(value)).date()
    return value


def terbilang(value: int) -> str:
    """A whole number in Indonesian words: 22 -> "dua puluh dua", 2026 -> "dua ribu dua puluh enam"."""
    return num2words(value, lang="id")


def tanggal_huruf(value: date | datetime) -> str:
    """The day as a Berita Acara writes it after "Pada hari ini": "Minggu tanggal dua puluh dua bulan November
    tahun dua ribu dua puluh enam"."""
    day = wib_date(value)
    return (f"{format_date(day, 'EEEE', locale=LOCALE)} tanggal {terbilang(day.day)} "
            f"bulan {format_date(day, 'MMMM', locale=LOCALE)} tahun {terbilang(day.year)}")


def nip(value: str | None) -> str:
    """A civil servant's NIP in its four groups (birth date, appointment month, sex, number): 8-6-1-3 digits."""
    if not value:
        return "–"
    if len(value) != 18 or not value.isdigit():
        return value
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NOMOR_FIELDS = ("{nomor}", "{bulan}", "{tahun}")


def nomor_surat(pattern: str, number: int, year: int, month: int) -> str:
    """A Nomor out of its pattern: "700/{nomor}/BA-PEKPPP/Org/{bulan}/{tahun}" -> "700/12/BA-PEKPPP/Org/XI/2026"
    (the month in Roman numerals, as the Tata Naskah Dinas writes it)."""
    return pattern.replace("{nomor}", str(number)).replace("{bulan}", ROMAN_MONTHS[month - 1]).replace("{tahun}", str(year))


def nomor_pattern_error(pattern: str) -> str | None:
    """Why a numbering pattern cannot be used, or None. It must hold {nomor} once and {tahun} (so that two
    periods never give the same Nomor), and no braces other than those of {nomor}, {bulan} and {tahun}."""
    if pattern.count("{nomor}") != 1 or "{tahun}" not in pattern:
        return "Pola nomor harus memuat {nomor} tepat satu kali dan {tahun}."
    rest = pattern
    for name in NOMOR_FIELDS:
        rest = rest.replace(name, "")
    if "{" in rest or "}" in rest:
        return "Pola nomor hanya boleh memakai {nomor}, {bulan} dan {tahun}."
    return None


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
                                 predikat_class=predikat_class, sisa_waktu=sisa_waktu, nip=nip, terbilang=terbilang,
                                 tanggal_huruf=tanggal_huruf)
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
