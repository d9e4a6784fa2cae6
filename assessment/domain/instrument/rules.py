"""Rules from an indicator's F-01 facts to its level, and the proof that every answer gets exactly one level.

A rule is written in the instrument file in one of three forms, all turned into one condition per
level (0..5):

- ``levels``: six conditions, one per level, e.g. ``sippn and count(media) = 2``;
- ``cumulative``: five steps; the level is the number of steps met in a row from the first
  (23.d.As: online and easy to operate → + accessible → + compatible → + .go.id → + navigation);
- ``count`` + ``bands`` (+ optional ``gate``): the number of ticked items (or a count fact) falls
  in one band per level, e.g. 18.c.K ``0, 1-3, 4-6, 7-9, 10-12, 13+``; when the ``gate`` condition
  fails the level is 0 (17.c.As: no toilet at all).

Conditions are a small language: a yes/no fact by its key; ``list.item`` for a ticked item;
``count(list)`` for the number ticked; ``choice = option``; comparisons ``= != < <= > >=`` and
``in a..b`` on counts and percentages; ``and``/``or``/``not`` (or ``dan``/``atau``/``tidak``) and
parentheses. ``check_rule`` evaluates the six conditions on every distinct answer a unit can give
(every yes/no, every option, every set of the ticked items the rule names times every number of the
others, every count and percentage on and around each threshold), and refuses the rule when an
answer matches no level or more than one.
"""
from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from .errors import InstrumentError
from .facts import HUNDRED, Fact, FactKind, Ticks

LEVEL_COUNT = 6
MAX_EXAMPLES = 3  # problems listed per kind before "dan N lainnya"


# --- the condition tree ------------------------------------------------------------------------------


class Node:
    """A condition (or a number inside one). Subclasses are frozen dataclasses, so rules compare by value."""

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True)
class YesNo(Node):
    fact: str

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values[self.fact]

    def text(self) -> str:
        return self.fact


@dataclass(frozen=True)
class Ticked(Node):
    fact: str
    item: str

    def holds(self, values: Mapping[str, Any]) -> bool:
        return self.item in values[self.fact].items

    def text(self) -> str:
        return f"{self.fact}.{self.item}"


@dataclass(frozen=True)
class Chosen(Node):
    fact: str
    option: str

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values[self.fact] == self.option

    def text(self) -> str:
        return f"{self.fact} = {self.option}"


@dataclass(frozen=True)
class CountOf(Node):
    """How many items of a tick list are ticked."""

    fact: str

    def number(self, values: Mapping[str, Any]) -> Decimal:
        return Decimal(len(values[self.fact].items))

    def text(self) -> str:
        return f"count({self.fact})"


@dataclass(frozen=True)
class ValueOf(Node):
    """The number answered to a count or percentage fact."""

    fact: str

    def number(self, values: Mapping[str, Any]) -> Decimal:
        return Decimal(values[self.fact])

    def text(self) -> str:
        return self.fact


OPERATORS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
             ">=": operator.ge}


@dataclass(frozen=True)
class Compare(Node):
    term: CountOf | ValueOf
    op: str
    limit: Decimal

    def holds(self, values: Mapping[str, Any]) -> bool:
        return OPERATORS[self.op](self.term.number(values), self.limit)

    def children(self) -> tuple[Node, ...]:
        return (self.term,)

    def text(self) -> str:
        return f"{self.term.text()} {self.op} {_number_text(self.limit)}"


@dataclass(frozen=True)
class Between(Node):
    term: CountOf | ValueOf
    low: Decimal
    high: Decimal

    def holds(self, values: Mapping[str, Any]) -> bool:
        return self.low <= self.term.number(values) <= self.high

    def children(self) -> tuple[Node, ...]:
        return (self.term,)

    def text(self) -> str:
        return f"{self.term.text()} in {_number_text(self.low)}..{_number_text(self.high)}"


@dataclass(frozen=True)
class Not(Node):
    part: Node

    def holds(self, values: Mapping[str, Any]) -> bool:
        return not self.part.holds(values)

    def children(self) -> tuple[Node, ...]:
        return (self.part,)

    def text(self) -> str:
        inner = self.part.text()
        return f"not {inner}" if isinstance(self.part, YesNo | Ticked) else f"not ({inner})"


@dataclass(frozen=True)
class All(Node):
    parts: tuple[Node, ...]
    word: ClassVar[str] = "and"

    def holds(self, values: Mapping[str, Any]) -> bool:
        return all(part.holds(values) for part in self.parts)

    def children(self) -> tuple[Node, ...]:
        return self.parts

    def text(self) -> str:
        return f" {self.word} ".join(f"({p.text()})" if isinstance(p, All | AnyOf) else p.text() for p in self.parts)


@dataclass(frozen=True)
class AnyOf(All):
    word: ClassVar[str] = "or"

    def holds(self, values: Mapping[str, Any]) -> bool:
        return any(part.holds(values) for part in self.parts)


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from walk(child)


def _number_text(number: Decimal) -> str:
    return f"{number.normalize():f}"


# --- parsing condition text ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<range>\.\.)|(?P<op><=|>=|!=|=|<|>)|(?P<paren>[()])"
                    r"|(?P<name>[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)?))")
_WORDS = {"and": "and", "dan": "and", "or": "or", "atau": "or", "not": "not", "tidak": "not", "bukan": "not",
          "in": "in", "antara": "in", "count": "count"}
RESERVED_WORDS = frozenset(_WORDS)  # a fact may not be called this (an option may: it follows = or !=)


class _Parser:
    def __init__(self, text: str, facts: Mapping[str, Fact], where: str):
        self.text, self.facts, self.where = text, facts, where
        self.raw: list[str] = []  # each token as written (a keyword may also be an option's key)
        self.tokens = self._tokenise(text)
        self.position = 0

    def fail(self, message: str) -> InstrumentError:
        return InstrumentError(f"{self.where}: {message} (dalam “{self.text}”)")

    def _tokenise(self, text: str) -> list[tuple[str, str]]:
        tokens, position = [], 0
        stripped = text.rstrip()
        while position < len(stripped):
            match = _TOKEN.match(stripped, position)
            if match is None or match.end() == position:
                raise self.fail(f"tidak dapat dibaca mulai “{stripped[position:].strip()[:20]}”")
            kind = match.lastgroup
            value = match.group(kind)
            if kind == "name" and value in _WORDS:
                kind, value = "word", _WORDS[value]
            tokens.append((kind, value))
            self.raw.append(match.group(kind if kind != "word" else "name"))
            position = match.end()
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = f"“{token[1]}”" if token else "akhir teks"
            raise self.fail(f"diharapkan {value or kind}, ditemukan {found}")
        self.position += 1
        return token[1]

    def take_option(self) -> str:
        """The word after = or !=, read as an option's key even when it is also a keyword ("tidak")."""
        token = self.peek()
        if token is None or token[0] not in ("name", "word"):
            raise self.fail("diharapkan kunci pilihan setelah = atau !=")
        self.position += 1
        return self.raw[self.position - 1]

    def accept(self, kind: str, value: str) -> bool:
        if self.peek() == (kind, value):
            self.position += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.tokens:
            raise self.fail("syarat kosong")
        node = self.either()
        if self.peek() is not None:
            raise self.fail(f"sisa teks tidak dimengerti: “{self.peek()[1]}”")
        return node

    def either(self) -> Node:
        parts = [self.both()]
        while self.accept("word", "or"):
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def both(self) -> Node:
        parts = [self.negation()]
        while self.accept("word", "and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def negation(self) -> Node:
        if self.accept("word", "not"):
            return Not(self.negation())
        if self.accept("paren", "("):
            node = self.either()
            self.take("paren", ")")
            return node
        return self.atom()

    def atom(self) -> Node:
        if self.accept("word", "count"):
            self.take("paren", "(")
            fact = self.fact(self.take("name"), FactKind.TICK_LIST, "count(…)")
            self.take("paren", ")")
            return self.numeric(CountOf(fact.key), integer=True)
        name = self.take("name")
        if "." in name:
            key, item = name.split(".", 1)
            fact = self.fact(key, FactKind.TICK_LIST, "“daftar.butir”")
            if fact.option(item) is None:
                raise self.fail(f"butir '{item}' tidak ada dalam daftar '{key}'")
            return Ticked(key, item)
        fact = self.fact(name)
        if fact.kind == FactKind.YES_NO:
            return YesNo(name)
        if fact.kind == FactKind.CHOICE:
            op = self.take("op")
            if op not in ("=", "!="):
                raise self.fail(f"fakta pilihan '{name}' hanya dibandingkan dengan = atau !=")
            option = self.take_option()
            if fact.option(option) is None:
                raise self.fail(f"pilihan '{option}' tidak ada pada fakta '{name}'")
            return Chosen(name, option) if op == "=" else Not(Chosen(name, option))
        if fact.kind in (FactKind.COUNT, FactKind.PERCENT):
            return self.numeric(ValueOf(name), integer=fact.kind == FactKind.COUNT)
        raise self.fail(f"fakta '{name}' ({fact.kind}) tidak dapat dipakai sendiri; untuk daftar centang pakai "
                        f"count({name}) atau {name}.butir")

    def fact(self, key: str, kind: FactKind | None = None, usage: str = "") -> Fact:
        fact = self.facts.get(key)
        if fact is None:
            raise self.fail(f"fakta '{key}' tidak ada pada indikator ini")
        if kind is not None and fact.kind != kind:
            raise self.fail(f"{usage} hanya untuk daftar centang, bukan fakta '{key}' ({fact.kind})")
        if fact.kind == FactKind.TEXT:
            raise self.fail(f"fakta keterangan '{key}' tidak boleh menentukan level")
        return fact

    def numeric(self, term: CountOf | ValueOf, integer: bool) -> Node:
        if self.accept("word", "in"):
            low = self.number(integer)
            self.take("range")
            high = self.number(integer)
            if low > high:
                raise self.fail(f"rentang {low}..{high} terbalik")
            return Between(term, low, high)
        return Compare(term, self.take("op"), self.number(integer))

    def number(self, integer: bool) -> Decimal:
        number = Decimal(self.take("number"))
        if integer and number != number.to_integral_value():
            raise self.fail(f"jumlah dibandingkan dengan bilangan bulat, bukan {number}")
        return number


def parse_condition(text: Any, facts: Mapping[str, Fact], where: str) -> Node:
    if not isinstance(text, str):
        raise InstrumentError(f"{where}: syarat harus berupa teks")
    return _Parser(text, facts, where).parse()


# --- rules ---------------------------------------------------------------------------------------------

_BAND = re.compile(r"^\s*(?:(?P<none>-)|(?P<low>\d+)\s*(?:(?P<plus>\+)|[-–]\s*(?P<high>\d+))?)\s*$")
_RULE_FORMS = {"levels": {"levels"}, "cumulative": {"cumulative"}, "bands": {"count", "bands", "gate"}}


@dataclass(frozen=True)
class Rule:
    """One condition per level; ``check_rule`` has proved that exactly one holds for every answer."""

    # "levels", "cumulative" or "bands": how the file wrote it. Not part of equality: the same conditions
    # written another way (a spreadsheet holds every rule as six conditions) are the same rule.
    form: str = field(compare=False)
    conditions: tuple[Node, ...] = ()

    def level(self, values: Mapping[str, Any]) -> int:
        for level, condition in enumerate(self.conditions):
            if condition.holds(values):
                return level
        raise AssertionError("a checked rule gives every answer a level")

    @property
    def fact_keys(self) -> set[str]:
        return {node.fact for condition in self.conditions for node in walk(condition) if hasattr(node, "fact")}


def parse_rule(data: Any, facts: tuple[Fact, ...], where: str) -> Rule:
    where = f"{where}, aturan"
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: harus berupa objek (levels, cumulative, atau count dan bands)")
    keys = set(map(str, data))
    form = next((name for name, allowed in _RULE_FORMS.items() if keys and keys <= allowed
                 and (name != "bands" or {"count", "bands"} <= keys)), None)
    if form is None:
        raise InstrumentError(f"{where}: tulis salah satu bentuk: 'levels' (6 syarat), 'cumulative' (5 langkah), "
                              f"atau 'count' dan 'bands' (6 rentang, 'gate' boleh); ditemukan: {', '.join(sorted(keys))}")
    by_key = {fact.key: fact for fact in facts}
    if form == "levels":
        conditions = tuple(parse_condition(text, by_key, f"{where}, syarat level {level}")
                           for level, text in enumerate(_list_of(data["levels"], LEVEL_COUNT, "levels", where)))
    elif form == "cumulative":
        steps = [parse_condition(text, by_key, f"{where}, langkah {n}")
                 for n, text in enumerate(_list_of(data["cumulative"], LEVEL_COUNT - 1, "cumulative", where), start=1)]
        conditions = cumulative_conditions(steps)
    else:
        conditions = _band_conditions(data, by_key, where)
    rule = Rule(form, conditions)
    check_rule(rule, facts, where)
    return rule


def cumulative_conditions(steps: list[Node]) -> tuple[Node, ...]:
    """Level k: the first k steps met and step k+1 not; level 5: all five."""
    levels: list[Node] = [Not(steps[0])]
    for k in range(1, LEVEL_COUNT):
        met = steps[:k] + ([Not(steps[k])] if k < len(steps) else [])
        levels.append(met[0] if len(met) == 1 else All(tuple(met)))
    return tuple(levels)


def _band_conditions(data: dict, facts: Mapping[str, Fact], where: str) -> tuple[Node, ...]:
    name = data["count"]
    fact = facts.get(name) if isinstance(name, str) else None
    if fact is None or fact.kind not in (FactKind.TICK_LIST, FactKind.COUNT):
        raise InstrumentError(f"{where}: 'count' harus menyebut daftar centang atau fakta jumlah pada indikator ini")
    term = CountOf(name) if fact.kind == FactKind.TICK_LIST else ValueOf(name)
    gate = parse_condition(data["gate"], facts, f"{where}, gate") if "gate" in data else None
    bands = [_band(term, text, f"{where}, rentang level {level}")
             for level, text in enumerate(_list_of(data["bands"], LEVEL_COUNT, "bands", where))]
    conditions: list[Node] = []
    for level, band in enumerate(bands):
        if gate is None:
            if band is None:
                raise InstrumentError(f"{where}: rentang level {level} hanya boleh '-' bila ada 'gate'")
            conditions.append(band)
        elif level == 0:
            conditions.append(Not(gate) if band is None else AnyOf((Not(gate), band)))
        elif band is None:
            raise InstrumentError(f"{where}: rentang '-' hanya untuk level 0 (level yang diberikan 'gate')")
        else:
            conditions.append(All((gate, band)))
    return tuple(conditions)


def _band(term: CountOf | ValueOf, text: Any, where: str) -> Node | None:
    match = _BAND.match(text) if isinstance(text, str) else None
    if match is None:
        raise InstrumentError(f"{where}: tulis rentang sebagai 3, 1-3, 13+ atau -, bukan “{text}”")
    if match["none"]:
        return None
    low = Decimal(match["low"])
    if match["plus"]:
        return Compare(term, ">=", low)
    if match["high"] is None:
        return Compare(term, "=", low)
    high = Decimal(match["high"])
    if high < low:
        raise InstrumentError(f"{where}: rentang {text} terbalik")
    return Between(term, low, high)


def _list_of(value: Any, length: int, key: str, where: str) -> list:
    if not isinstance(value, list) or len(value) != length:
        found = len(value) if isinstance(value, list) else "bukan daftar"
        raise InstrumentError(f"{where}: '{key}' harus berisi {length} butir, ditemukan {found}")
    return value


# --- the proof: every answer, exactly one level ------------------------------------------------------


def check_rule(rule: Rule, facts: tuple[Fact, ...], where: str) -> None:
    used = rule.fact_keys
    unused = [f.key for f in facts if f.scored and f.key not in used]
    if unused:
        raise InstrumentError(f"{where}: fakta tidak dipakai aturan: {', '.join(unused)} "
                              "(pakai dalam aturan, atau jadikan jenis text bila hanya keterangan)")
    gaps: list[str] = []
    overlaps: list[str] = []
    reached: set[int] = set()
    for values in answer_space(rule, facts):
        levels = [level for level, condition in enumerate(rule.conditions) if condition.holds(values)]
        if not levels:
            gaps.append(describe_answer(values, facts))
        elif len(levels) > 1:
            overlaps.append(f"{describe_answer(values, facts)} (level {' dan '.join(map(str, levels))})")
        else:
            reached.add(levels[0])
    problems = []
    if gaps:
        problems.append(f"{where}: jawaban berikut tidak mendapat level: {_examples(gaps)}")
    if overlaps:
        problems.append(f"{where}: jawaban berikut mendapat lebih dari satu level: {_examples(overlaps)}")
    never = [str(level) for level in range(LEVEL_COUNT) if level not in reached]
    if not problems and never:
        problems.append(f"{where}: level {', '.join(never)} tidak dapat dicapai oleh jawaban apa pun")
    if problems:
        raise InstrumentError(problems)


def _examples(answers: list[str]) -> str:
    shown = "; ".join(answers[:MAX_EXAMPLES])
    return shown + (f"; dan {len(answers) - MAX_EXAMPLES} jawaban lainnya" if len(answers) > MAX_EXAMPLES else "")


def describe_answer(values: Mapping[str, Any], facts: tuple[Fact, ...]) -> str:
    return ", ".join(f"{fact.key} = {fact.describe(values[fact.key])}" for fact in facts if fact.key in values)


def answer_space(rule: Rule, facts: tuple[Fact, ...]) -> Iterator[dict[str, Any]]:
    """Every answer the rule can tell apart, one representative each (see the module docstring)."""
    nodes = [node for condition in rule.conditions for node in walk(condition)]
    used = [fact for fact in facts if fact.key in rule.fact_keys]
    domains = [list(_domain(fact, nodes)) for fact in used]
    for combination in itertools.product(*domains):
        yield {fact.key: value for fact, value in zip(used, combination, strict=True)}


def _domain(fact: Fact, nodes: list[Node]) -> Iterator[Any]:
    """The answers to one fact that the rule's ``nodes`` (all of them) can tell apart."""
    if fact.kind == FactKind.YES_NO:
        yield from (False, True)
    elif fact.kind == FactKind.CHOICE:
        yield from (option.key for option in fact.options)
    elif fact.kind == FactKind.TICK_LIST:
        yield from _tick_domain(fact, nodes)
    else:
        yield from _number_domain(fact, _limits(fact, nodes))


def _tick_domain(fact: Fact, nodes: list[Node]) -> Iterator[Ticks]:
    named = sorted({node.item for node in nodes if isinstance(node, Ticked) and node.fact == fact.key})
    others = [option.key for option in fact.options if option.key not in named]
    counted = CountOf(fact.key) in nodes
    other_key = fact.other_item.key if fact.other_item else None
    for chosen in itertools.product((False, True), repeat=len(named)):
        base = [key for key, on in zip(named, chosen, strict=True) if on]
        for extra in range(len(others) + 1 if counted else 1):
            items = frozenset(base + others[:extra])
            yield Ticks(items, "lainnya" if other_key in items else "")


def _limits(fact: Fact, nodes: list[Node]) -> set[Decimal]:
    limits: set[Decimal] = set()
    for node in nodes:
        if isinstance(node, Compare) and node.term.fact == fact.key:
            limits.add(node.limit)
        elif isinstance(node, Between) and node.term.fact == fact.key:
            limits.update((node.low, node.high))
    return limits


def _number_domain(fact: Fact, limits: set[Decimal]) -> Iterator[Decimal | int]:
    if fact.kind == FactKind.COUNT:
        points = {0} | {int(t) + d for t in limits for d in (-1, 0, 1) if int(t) + d >= 0}
        yield from sorted(points)
        return
    edges = sorted({Decimal(0), HUNDRED} | {t for t in limits if 0 <= t <= HUNDRED})
    points = set(edges) | {(low + high) / 2 for low, high in itertools.pairwise(edges)}
    yield from sorted(points)
