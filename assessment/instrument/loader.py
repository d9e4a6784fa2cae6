"""Load and validate an instrument file (YAML or JSON) into immutable objects.

A bad file is rejected with an ``InstrumentError`` whose message names the place
and the problem, in Bahasa Indonesia, because the admin who imports a new year's
instrument reads it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_INSTRUMENT_PATH = Path(__file__).with_name("pekppp-2023.yaml")
LEVELS = tuple(range(6))
HUNDRED = Decimal(100)

_INDICATOR_CODE = re.compile(r"^\d+\.([a-z])\.[A-Za-z]+$")
_ADDITIONAL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"code", "name", "legal_basis", "aspects", "additional"}
_ASPECT_KEYS = {"code", "name", "short_name", "weight", "indicators"}
_INDICATOR_KEYS = {"code", "title", "question", "weight", "levels", "evidence", "aliases"}


class InstrumentError(ValueError):
    """The instrument file is not valid; the message says where and why."""


@dataclass(frozen=True)
class Indicator:
    code: str
    aspect_code: str
    title: str
    question: str
    weight: Decimal
    levels: tuple[str, ...]
    evidence: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        """Position in the official numbering (1..30); 0 for additional items."""
        head = self.code.split(".", 1)[0]
        return int(head) if head.isdigit() else 0

    def criterion(self, level: int) -> str:
        return self.levels[level]


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]
    short_name: str = ""  # for charts; falls back to the name

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    legal_basis: str
    aspects: tuple[Aspect, ...]
    additional: tuple[Indicator, ...]

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """The scored indicators, in official order."""
        return tuple(ind for aspect in self.aspects for ind in aspect.indicators)

    @cached_property
    def all_items(self) -> tuple[Indicator, ...]:
        """Scored indicators followed by the weight-0 additional items."""
        return self.indicators + self.additional

    def aspect(self, code: str) -> Aspect:
        for aspect in self.aspects:
            if aspect.code == code:
                return aspect
        raise KeyError(code)

    def item(self, code: str) -> Indicator:
        """Any item (scored or additional) by code or, for additional items, alias."""
        found = self.find_item(code)
        if found is None:
            raise KeyError(code)
        return found

    def find_item(self, key: str) -> Indicator | None:
        return self._items_by_key.get(_normalise_key(key))

    @cached_property
    def _items_by_key(self) -> dict[str, Indicator]:
        table = {ind.code: ind for ind in self.indicators}
        for item in self.additional:
            for key in (item.code, *item.aliases):
                table[_normalise_key(key)] = item
        return table


def _normalise_key(key: str) -> str:
    # Additional items are named loosely in the field ("Sistem Antrian",
    # "sistem-antrian"); indicator codes keep their exact spelling.
    if _INDICATOR_CODE.match(key):
        return key
    return re.sub(r"[\s\-_]+", "_", key.strip().lower())


def load_instrument_file(path: str | Path) -> Instrument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstrumentError(f"Berkas instrumen tidak dapat dibaca: {path} ({exc.strerror})") from exc
    return parse_instrument_text(text)


def load_default_instrument() -> Instrument:
    return load_instrument_file(DEFAULT_INSTRUMENT_PATH)


@lru_cache(maxsize=16)
def parse_instrument_text(text: str) -> Instrument:
    """Parse YAML or JSON text (JSON is valid YAML); cached because periods reload it often."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InstrumentError(f"Berkas instrumen bukan YAML/JSON yang sah: {exc}") from exc
    return parse_instrument(data)


def parse_instrument(data: Any) -> Instrument:
    top = _mapping(data, "instrumen", _TOP_KEYS, required={"code", "name", "aspects"})
    aspects_data = top["aspects"]
    if not isinstance(aspects_data, list) or not aspects_data:
        raise InstrumentError("instrumen: 'aspects' harus berupa daftar aspek yang tidak kosong")
    aspects = tuple(_parse_aspect(item, i) for i, item in enumerate(aspects_data, start=1))
    additional = tuple(
        _parse_additional(item, i) for i, item in enumerate(top.get("additional") or [], start=1)
    )
    instrument = Instrument(
        code=_text(top, "code", "instrumen"),
        name=_text(top, "name", "instrumen"),
        legal_basis=str(top.get("legal_basis") or ""),
        aspects=aspects,
        additional=additional,
    )
    _check_unique_codes(instrument)
    _check_weight_sum((a.weight for a in aspects), "instrumen: jumlah bobot keenam aspek")
    return instrument


def _parse_aspect(data: Any, position: int) -> Aspect:
    where = f"aspek ke-{position}"
    entry = _mapping(data, where, _ASPECT_KEYS, required=_ASPECT_KEYS - {"short_name"})
    code = _text(entry, "code", where)
    if not re.fullmatch(r"[a-z]", code):
        raise InstrumentError(f"{where}: kode aspek harus satu huruf kecil, bukan '{code}'")
    where = f"aspek '{code}'"
    indicators_data = entry["indicators"]
    if not isinstance(indicators_data, list) or not indicators_data:
        raise InstrumentError(f"{where}: 'indicators' harus berupa daftar yang tidak kosong")
    indicators = tuple(_parse_indicator(item, code, where) for item in indicators_data)
    _check_weight_sum((ind.weight for ind in indicators), f"{where}: jumlah bobot indikator")
    short_name = _text(entry, "short_name", where) if "short_name" in entry else ""
    return Aspect(code=code, name=_text(entry, "name", where), weight=_weight(entry, where), indicators=indicators,
                  short_name=short_name)


def _parse_indicator(data: Any, aspect_code: str, aspect_where: str) -> Indicator:
    entry = _mapping(data, f"{aspect_where}, indikator", _INDICATOR_KEYS - {"aliases"},
                     required=_INDICATOR_KEYS - {"aliases"})
    code = _text(entry, "code", f"{aspect_where}, indikator")
    where = f"indikator '{code}'"
    match = _INDICATOR_CODE.match(code)
    if not match:
        raise InstrumentError(f"{where}: kode harus berbentuk nomor.aspek.prinsip, misalnya 1.a.Ak")
    if match.group(1) != aspect_code:
        raise InstrumentError(f"{where}: huruf aspek pada kode tidak sama dengan aspek '{aspect_code}'")
    return _indicator(entry, code, aspect_code, where, aliases=())


def _parse_additional(data: Any, position: int) -> Indicator:
    where = f"informasi tambahan ke-{position}"
    entry = _mapping(data, where, _INDICATOR_KEYS, required=_INDICATOR_KEYS - {"aliases"})
    code = _text(entry, "code", where)
    if not _ADDITIONAL_CODE.match(code):
        raise InstrumentError(f"{where}: kode harus huruf kecil/angka/garis bawah, bukan '{code}'")
    where = f"informasi tambahan '{code}'"
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InstrumentError(f"{where}: 'aliases' harus berupa daftar teks")
    item = _indicator(entry, code, "", where, aliases=tuple(aliases))
    if item.weight != 0:
        raise InstrumentError(f"{where}: bobot informasi tambahan harus 0, bukan {item.weight}")
    return item


def _indicator(entry: dict, code: str, aspect_code: str, where: str, aliases: tuple[str, ...]) -> Indicator:
    levels = entry["levels"]
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        found = len(levels) if isinstance(levels, list) else "bukan daftar"
        raise InstrumentError(f"{where}: 'levels' harus berisi 6 kriteria (level 0–5), ditemukan {found}")
    for level, criterion in enumerate(levels):
        if not isinstance(criterion, str) or not criterion.strip():
            raise InstrumentError(f"{where}: kriteria level {level} kosong")
    evidence = entry["evidence"]
    if not isinstance(evidence, list) or not evidence or not all(isinstance(e, str) and e.strip() for e in evidence):
        raise InstrumentError(f"{where}: 'evidence' harus berupa daftar bukti dukung yang tidak kosong")
    return Indicator(
        code=code,
        aspect_code=aspect_code,
        title=_text(entry, "title", where),
        question=_text(entry, "question", where),
        weight=_weight(entry, where),
        levels=tuple(s.strip() for s in levels),
        evidence=tuple(e.strip() for e in evidence),
        aliases=aliases,
    )


def _mapping(data: Any, where: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: harus berupa objek (pasangan kunci: nilai)")
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise InstrumentError(f"{where}: kunci tidak dikenal: {', '.join(unknown)}")
    missing = sorted(required - set(data))
    if missing:
        raise InstrumentError(f"{where}: kunci wajib tidak ada: {', '.join(missing)}")
    return data


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InstrumentError(f"{where}: '{key}' harus berupa teks yang tidak kosong")
    return value.strip()


def _weight(entry: dict, where: str) -> Decimal:
    raw = entry.get("weight")
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InstrumentError(f"{where}: bobot harus berupa angka")
    try:
        weight = Decimal(str(raw))
    except InvalidOperation as exc:
        raise InstrumentError(f"{where}: bobot '{raw}' bukan angka") from exc
    if not weight.is_finite() or weight < 0:
        raise InstrumentError(f"{where}: bobot harus angka 0 atau lebih, bukan {raw}")
    return weight


def _check_weight_sum(weights, where: str) -> None:
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        raise InstrumentError(f"{where} harus 100, bukan {total.normalize():f}")


def _check_unique_codes(instrument: Instrument) -> None:
    seen: set[str] = set()
    aspect_codes = [a.code for a in instrument.aspects]
    if len(set(aspect_codes)) != len(aspect_codes):
        raise InstrumentError("instrumen: kode aspek ganda")
    for item in instrument.all_items:
        for key in (item.code, *item.aliases):
            normalised = _normalise_key(key)
            if normalised in seen:
                raise InstrumentError(f"instrumen: kode '{key}' dipakai lebih dari sekali")
            seen.add(normalised)
