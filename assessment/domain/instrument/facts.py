"""The F-01 facts an indicator asks: their kinds, how a file declares them, and how an answer is read.

A fact is one question of the official F-01: yes/no, one choice of several, a tick list of named
items (with "lainnya" where the instrument has it), a count, a percentage, or free text that the
level does not depend on (an account name, the title of an innovation).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from .errors import InstrumentError, Problems

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# The rule language's words (rules.RESERVED_WORDS, repeated to keep this module free of the rule engine).
RESERVED_KEYS = frozenset({"and", "dan", "or", "atau", "not", "tidak", "bukan", "in", "antara", "count"})
MAX_COUNT = 100_000
MAX_OTHER_LENGTH = 300
MAX_TEXT_LENGTH = 2000
HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.01")


class FactKind(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    TICK_LIST = "tick_list"
    COUNT = "count"
    PERCENT = "percent"
    TEXT = "text"


KIND_LABELS = {
    FactKind.YES_NO: "Ya/tidak",
    FactKind.CHOICE: "Satu pilihan",
    FactKind.TICK_LIST: "Daftar centang",
    FactKind.COUNT: "Jumlah",
    FactKind.PERCENT: "Persentase",
    FactKind.TEXT: "Keterangan (tidak dinilai)",
}

_FACT_KEYS = {"key", "kind", "question", "options", "items", "explanation", "evidence"}
_OPTION_KEYS = {"key", "label", "explanation", "other"}


class FactValueError(ValueError):
    """An answer to one fact cannot be read; the message is for the person who typed it."""


@dataclass(frozen=True)
class Option:
    """An option of a choice, or an item of a tick list."""

    key: str
    label: str
    explanation: str = ""
    other: bool = False  # the "lainnya" item: whoever ticks it names what it is


@dataclass(frozen=True)
class Ticks:
    """The answer to a tick list: the items ticked, and the name given to a ticked "lainnya"."""

    items: frozenset[str]
    other: str = ""


@dataclass(frozen=True)
class Fact:
    key: str
    kind: FactKind
    question: str
    options: tuple[Option, ...] = ()  # the choices of a choice, the items of a tick list
    explanation: str = ""
    evidence: str = ""  # what proves this fact, for the unit and the reviewer

    @property
    def scored(self) -> bool:
        """Whether the level can depend on it (free text never does)."""
        return self.kind != FactKind.TEXT

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    @property
    def other_item(self) -> Option | None:
        return next((o for o in self.options if o.other), None)

    def read(self, value: Any) -> Any:
        """The stored form of an answer (see ``answer_json`` for the reverse); FactValueError if unreadable."""
        return _READERS[self.kind](self, value)

    def answer_json(self, value: Any) -> Any:
        """The JSON form of a read value, which ``read`` accepts back unchanged."""
        if self.kind == FactKind.TICK_LIST:
            ordered = [o.key for o in self.options if o.key in value.items]
            return {"items": ordered, "other": value.other} if value.other else {"items": ordered}
        if self.kind == FactKind.PERCENT:
            return f"{value.normalize():f}"
        return value

    def describe(self, value: Any) -> str:
        """A short Indonesian rendering of an answer, for lists and messages."""
        if self.kind == FactKind.YES_NO:
            return "Ya" if value else "Tidak"
        if self.kind == FactKind.CHOICE:
            return self.option(value).label
        if self.kind == FactKind.TICK_LIST:
            labels = [o.label if not (o.other and value.other) else f"{o.label}: {value.other}"
                      for o in self.options if o.key in value.items]
            return "; ".join(labels) if labels else "tidak ada yang dicentang"
        if self.kind == FactKind.PERCENT:
            return f"{value.normalize():f}".replace(".", ",") + "%"
        return str(value)


def _read_yes_no(fact: Fact, value: Any) -> bool:
    if not isinstance(value, bool):
        raise FactValueError("Pilih Ya atau Tidak.")
    return value


def _read_choice(fact: Fact, value: Any) -> str:
    if not isinstance(value, str) or fact.option(value) is None:
        raise FactValueError("Pilih salah satu pilihan yang tersedia.")
    return value


def _read_ticks(fact: Fact, value: Any) -> Ticks:
    if not isinstance(value, dict) or not isinstance(value.get("items", []), list) or set(value) - {"items", "other"}:
        raise FactValueError("Jawaban daftar centang tidak sah.")
    keys = value.get("items", [])
    unknown = [k for k in keys if not isinstance(k, str) or fact.option(k) is None]
    if unknown:
        raise FactValueError(f"Butir tidak dikenal: {', '.join(map(str, unknown))}.")
    other_item = fact.other_item
    other = value.get("other", "")
    if not isinstance(other, str):
        raise FactValueError("Keterangan butir lainnya harus berupa teks.")
    other = " ".join(other.split())
    if other_item is not None and other_item.key in keys:
        if not other:
            raise FactValueError(f"Sebutkan apa yang dimaksud dengan “{other_item.label}”.")
        if len(other) > MAX_OTHER_LENGTH:
            raise FactValueError(f"Keterangan butir lainnya paling banyak {MAX_OTHER_LENGTH} karakter.")
    else:
        other = ""  # a name without its ticked item means nothing
    return Ticks(frozenset(keys), other)


def _read_count(fact: Fact, value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise FactValueError(f"Isi bilangan bulat 0 sampai {MAX_COUNT:,}.".replace(",", "."))
    return value


def _read_percent(fact: Fact, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise FactValueError("Isi persentase berupa angka 0–100.")
    text = str(value).strip().removesuffix("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FactValueError("Isi persentase berupa angka 0–100, misalnya 87,5.") from None
    if not number.is_finite() or not 0 <= number <= HUNDRED:
        raise FactValueError("Persentase harus antara 0 dan 100.")
    if number != number.quantize(PERCENT_PLACES):
        raise FactValueError("Persentase paling banyak dua angka di belakang koma.")
    return number


def _read_text(fact: Fact, value: Any) -> str:
    if not isinstance(value, str):
        raise FactValueError("Isi berupa teks.")
    text = value.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise FactValueError(f"Paling banyak {MAX_TEXT_LENGTH} karakter.")
    return text


_READERS = {
    FactKind.YES_NO: _read_yes_no,
    FactKind.CHOICE: _read_choice,
    FactKind.TICK_LIST: _read_ticks,
    FactKind.COUNT: _read_count,
    FactKind.PERCENT: _read_percent,
    FactKind.TEXT: _read_text,
}


# --- reading the declarations in an instrument file -------------------------------------------------


def parse_facts(data: Any, where: str) -> tuple[Fact, ...]:
    if not isinstance(data, list) or not data:
        raise InstrumentError(f"{where}: 'facts' harus berupa daftar fakta yang tidak kosong")
    problems = Problems()
    facts = [problems.attempt(_parse_fact, item, where, n) for n, item in enumerate(data, start=1)]
    problems.raise_if_any()
    keys = [fact.key for fact in facts]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise InstrumentError(f"{where}: kunci fakta dipakai lebih dari sekali: {', '.join(repeated)}")
    return tuple(facts)


def _parse_fact(data: Any, indicator_where: str, position: int) -> Fact:
    where = f"{indicator_where}, fakta ke-{position}"
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: harus berupa objek (pasangan kunci: nilai)")
    unknown = sorted(set(map(str, data)) - _FACT_KEYS)
    if unknown:
        raise InstrumentError(f"{where}: kunci tidak dikenal: {', '.join(unknown)}")
    key = data.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise InstrumentError(f"{where}: 'key' harus huruf kecil, angka atau garis bawah, diawali huruf")
    where = f"{indicator_where}, fakta '{key}'"
    if key in RESERVED_KEYS:
        raise InstrumentError(f"{where}: '{key}' adalah kata kunci aturan; pilih kunci lain")
    try:
        kind = FactKind(data.get("kind"))
    except ValueError:
        raise InstrumentError(f"{where}: 'kind' harus salah satu dari {', '.join(FactKind)}") from None
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InstrumentError(f"{where}: 'question' harus berupa teks yang tidak kosong")
    options = _parse_options(data, kind, where)
    return Fact(key=key, kind=kind, question=question.strip(), options=options,
                explanation=optional_text(data, "explanation", where), evidence=optional_text(data, "evidence", where))


def _parse_options(data: dict, kind: FactKind, where: str) -> tuple[Option, ...]:
    list_key = {FactKind.CHOICE: "options", FactKind.TICK_LIST: "items"}.get(kind)
    for wrong in {"options", "items"} - {list_key}:
        if wrong in data:
            raise InstrumentError(f"{where}: fakta jenis {kind} tidak memakai '{wrong}'")
    if list_key is None:
        return ()
    raw = data.get(list_key)
    if not isinstance(raw, list) or len(raw) < 2:
        raise InstrumentError(f"{where}: '{list_key}' harus berisi sekurang-kurangnya 2 butir")
    options = tuple(_parse_option(item, kind, f"{where}, butir ke-{n}") for n, item in enumerate(raw, start=1))
    keys = [o.key for o in options]
    if len(set(keys)) != len(keys):
        raise InstrumentError(f"{where}: kunci butir dipakai lebih dari sekali")
    if sum(o.other for o in options) > 1:
        raise InstrumentError(f"{where}: hanya satu butir boleh bertanda 'other' (lainnya)")
    return options


def _parse_option(data: Any, kind: FactKind, where: str) -> Option:
    if not isinstance(data, dict) or set(map(str, data)) - _OPTION_KEYS:
        raise InstrumentError(f"{where}: harus berupa objek dengan kunci {', '.join(sorted(_OPTION_KEYS))}")
    key, label = data.get("key"), data.get("label")
    if not isinstance(key, str) or not KEY.match(key):
        raise InstrumentError(f"{where}: 'key' harus huruf kecil, angka atau garis bawah, diawali huruf")
    if not isinstance(label, str) or not label.strip():
        raise InstrumentError(f"{where}: 'label' harus berupa teks yang tidak kosong")
    other = data.get("other", False)
    if not isinstance(other, bool) or (other and kind != FactKind.TICK_LIST):
        raise InstrumentError(f"{where}: 'other' hanya untuk butir daftar centang dan bernilai true/false")
    return Option(key=key, label=label.strip(), explanation=optional_text(data, "explanation", where), other=other)


def optional_text(data: dict, key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InstrumentError(f"{where}: '{key}' harus berupa teks")
    return " ".join(value.split())
