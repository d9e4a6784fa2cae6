"""Load and validate an instrument file (YAML or JSON) into immutable objects.

A bad file is rejected with an ``InstrumentError`` listing every problem found, each naming
its place, in Bahasa Indonesia, because the admin who imports a new year's instrument reads it.
Besides the ladders, weights and evidence, an indicator may carry the official explanation of
what it counts, the F-01 facts it asks with the rule from facts to level (see ``facts`` and
``rules``), and its variant for services delivered online (``daring``), which stays *pending*
while the public sources do not give all of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import InstrumentError, Problems
from .facts import Fact, optional_text, parse_facts
from .rules import Rule, parse_rule

INSTRUMENT_FOLDER = Path(__file__).parent
# Periods opened before the official F-02 texts were adopted keep this file; tests and `flask score` use it too.
DEFAULT_INSTRUMENT_PATH = INSTRUMENT_FOLDER / "pekppp-2023.yaml"
# The version new periods use: level texts per the official F-02, with the F-01 facts (see docs/instrument-sources.md).
LATEST_INSTRUMENT_PATH = INSTRUMENT_FOLDER / "pekppp-2025.yaml"
BUNDLED_INSTRUMENT_PATHS = (DEFAULT_INSTRUMENT_PATH, LATEST_INSTRUMENT_PATH)
LEVELS = tuple(range(6))
HUNDRED = Decimal(100)
LURING, DARING, BOTH = "luring", "daring", "luring_daring"
# libyaml's loader reads the 2025 file in ~15 ms instead of ~100 ms; the pure-Python one is the same language.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INDICATOR_CODE = re.compile(r"^\d+\.([a-z])\.[A-Za-z]+$")
_ADDITIONAL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"code", "name", "legal_basis", "note", "aspects", "additional"}
_ASPECT_KEYS = {"code", "name", "short_name", "weight", "indicators"}
_INDICATOR_KEYS = {"code", "title", "question", "weight", "levels", "evidence", "aliases", "explanation", "facts",
                   "rule", "daring", "source"}
_REQUIRED_INDICATOR_KEYS = {"code", "title", "question", "weight", "levels", "evidence"}
_VARIANT_KEYS = {"title", "question", "levels", "evidence", "explanation", "facts", "rule", "pending"}


@dataclass(frozen=True)
class Variant:
    """What an indicator asks of a unit serving online (daring), where the official F-02 asks it differently.

    ``pending`` says, to the people who read the instrument, what the public sources still lack
    (weights, the items a count counts); a pending variant is shown but never scored.
    """

    title: str
    question: str
    levels: tuple[str, ...]
    evidence: tuple[str, ...]
    explanation: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    rule: Rule | None = None
    pending: str = ""


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
    explanation: tuple[str, ...] = ()  # the official explanation of what the indicator counts
    facts: tuple[Fact, ...] = ()  # the F-01 questions; empty: the unit picks a level (the 2023 file)
    rule: Rule | None = None  # from the facts' answers to the level
    daring: Variant | None = None
    source: str = ""  # which public source the ladder follows (docs/instrument-sources.md)

    @property
    def number(self) -> int:
        """Position in the official numbering (1..30); 0 for additional items."""
        head = self.code.split(".", 1)[0]
        return int(head) if head.isdigit() else 0

    def criterion(self, level: int) -> str:
        return self.levels[level]

    @property
    def has_facts(self) -> bool:
        return self.rule is not None

    def fact(self, key: str) -> Fact:
        return next(f for f in self.facts if f.key == key)


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
    note: str = ""

    @property
    def has_facts(self) -> bool:
        """Whether units answer F-01 facts (every item has a rule) rather than pick levels."""
        return all(item.has_facts for item in self.all_items)

    @cached_property
    def daring_variants(self) -> tuple[Indicator, ...]:
        """The items asked differently of units serving online."""
        return tuple(item for item in self.all_items if item.daring is not None)

    def mode_ready(self, mode: str) -> bool:
        """Whether a unit serving this way can be assessed on its own variant (daring needs no pending item)."""
        return mode != DARING or all(not item.daring.pending for item in self.daring_variants)

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
        data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        raise InstrumentError(f"Berkas instrumen bukan YAML/JSON yang sah: {exc}") from exc
    return parse_instrument(data)


def parse_instrument(data: Any) -> Instrument:
    """The instrument ``data`` describes, or an InstrumentError listing every problem in it."""
    top = _mapping(data, "instrumen", _TOP_KEYS, required={"code", "name", "aspects"})
    aspects_data = top["aspects"]
    if not isinstance(aspects_data, list) or not aspects_data:
        raise InstrumentError("instrumen: 'aspects' harus berupa daftar aspek yang tidak kosong")
    problems = Problems()
    code = problems.attempt(_text, top, "code", "instrumen")
    name = problems.attempt(_text, top, "name", "instrumen")
    aspects = [problems.attempt(_parse_aspect, item, i) for i, item in enumerate(aspects_data, start=1)]
    additional_data = top.get("additional") or []
    if not isinstance(additional_data, list):
        problems.found.append("instrumen: 'additional' harus berupa daftar")
        additional_data = []
    additional = [problems.attempt(_parse_additional, item, i) for i, item in enumerate(additional_data, start=1)]
    weights = [_weight_if_readable(item) for item in aspects_data]
    if None not in weights:  # the total is worth checking even while an indicator is broken
        problems.attempt(_check_weight_sum, weights, "instrumen: jumlah bobot keenam aspek")
    problems.raise_if_any()
    instrument = Instrument(
        code=code,
        name=name,
        legal_basis=str(top.get("legal_basis") or ""),
        aspects=tuple(aspects),
        additional=tuple(additional),
        note=" ".join(str(top.get("note") or "").split()),
    )
    _check_unique_codes(instrument)
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
    problems = Problems()
    name = problems.attempt(_text, entry, "name", where)
    weight = problems.attempt(_weight, entry, where)
    indicators = [problems.attempt(_parse_indicator, item, code, where) for item in indicators_data]
    weights = [_weight_if_readable(item) for item in indicators_data]
    if None not in weights:
        problems.attempt(_check_weight_sum, weights, f"{where}: jumlah bobot indikator")
    problems.raise_if_any()
    short_name = _text(entry, "short_name", where) if "short_name" in entry else ""
    return Aspect(code=code, name=name, weight=weight, indicators=tuple(indicators), short_name=short_name)


def _parse_indicator(data: Any, aspect_code: str, aspect_where: str) -> Indicator:
    entry = _mapping(data, f"{aspect_where}, indikator", _INDICATOR_KEYS - {"aliases"}, required=_REQUIRED_INDICATOR_KEYS)
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
    entry = _mapping(data, where, _INDICATOR_KEYS, required=_REQUIRED_INDICATOR_KEYS)
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
    problems = Problems()
    asked = problems.attempt(_asked, entry, where, evidence_required=True)
    weight = problems.attempt(_weight, entry, where)
    daring = problems.attempt(_variant, entry["daring"], where) if "daring" in entry else None
    source = problems.attempt(optional_text, entry, "source", where)
    problems.raise_if_any()
    return Indicator(code=code, aspect_code=aspect_code, weight=weight, aliases=aliases, daring=daring, source=source,
                     **asked)


def _variant(data: Any, where: str) -> Variant:
    where = f"{where}, varian daring"
    entry = _mapping(data, where, _VARIANT_KEYS, required={"title", "question", "levels"})
    problems = Problems()
    asked = problems.attempt(_asked, entry, where, evidence_required=False)
    pending = problems.attempt(optional_text, entry, "pending", where)
    problems.raise_if_any()
    return Variant(pending=pending, **asked)


def _asked(entry: dict, where: str, evidence_required: bool) -> dict[str, Any]:
    """What an indicator and its daring variant both carry: title, question, ladder, evidence, facts and rule."""
    problems = Problems()
    parts = {
        "title": problems.attempt(_text, entry, "title", where),
        "question": problems.attempt(_text, entry, "question", where),
        "levels": problems.attempt(_levels, entry["levels"], where),
        "evidence": problems.attempt(_evidence, entry["evidence"], where)
        if evidence_required or "evidence" in entry else (),
        "explanation": problems.attempt(_paragraphs, entry.get("explanation"), where),
    }
    facts_and_rule = problems.attempt(_facts_and_rule, entry, where)
    problems.raise_if_any()
    parts["facts"], parts["rule"] = facts_and_rule
    return parts


def _levels(levels: Any, where: str) -> tuple[str, ...]:
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        found = len(levels) if isinstance(levels, list) else "bukan daftar"
        raise InstrumentError(f"{where}: 'levels' harus berisi 6 kriteria (level 0–5), ditemukan {found}")
    for level, criterion in enumerate(levels):
        if not isinstance(criterion, str) or not criterion.strip():
            raise InstrumentError(f"{where}: kriteria level {level} kosong")
    return tuple(" ".join(s.split()) for s in levels)


def _evidence(evidence: Any, where: str) -> tuple[str, ...]:
    if not isinstance(evidence, list) or not evidence or not all(isinstance(e, str) and e.strip() for e in evidence):
        raise InstrumentError(f"{where}: 'evidence' harus berupa daftar bukti dukung yang tidak kosong")
    return tuple(" ".join(e.split()) for e in evidence)


def _paragraphs(value: Any, where: str) -> tuple[str, ...]:
    """The explanation: one text or a list of paragraphs."""
    if value is None:
        return ()
    paragraphs = [value] if isinstance(value, str) else value
    if not isinstance(paragraphs, list) or not all(isinstance(p, str) and p.strip() for p in paragraphs):
        raise InstrumentError(f"{where}: 'explanation' harus berupa teks atau daftar paragraf yang tidak kosong")
    return tuple(" ".join(p.split()) for p in paragraphs)


def _facts_and_rule(entry: dict, where: str) -> tuple[tuple[Fact, ...], Rule | None]:
    if "facts" not in entry and "rule" not in entry:
        return (), None
    if "facts" not in entry or "rule" not in entry:
        raise InstrumentError(f"{where}: 'facts' dan 'rule' harus ada bersama (fakta F-01 dan aturan menuju level)")
    facts = parse_facts(entry["facts"], where)
    return facts, parse_rule(entry["rule"], facts, where)


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


def _weight_if_readable(entry: Any) -> Decimal | None:
    try:
        return _weight(entry, "") if isinstance(entry, dict) else None
    except InstrumentError:
        return None


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
