"""Answering an indicator through its F-01 facts: the level they give, what would raise it, and checking them.

Pure domain code (no Flask). The JSON an answer is stored and sent as:

- a unit's answer to one indicator: ``{"<fact key>": <value>, ...}``, where a value is ``true``/``false``
  (yes/no), an option key (choice), ``{"items": [keys], "other": "name of the lainnya item"}`` (tick
  list), an integer (count), a string or number with at most two decimals (percentage, "87.5"), or a
  string (free text); a fact left out, or ``null``, is not answered yet;
- a reviewer's confirmation of it: ``{"<fact key>": {"confirmed": true}}`` or ``{"<fact key>":
  {"confirmed": false, "value": <what the evidence shows, as above>, "note": "why"}}``.

The verified level follows from the confirmed facts by the same rule as the unit's level.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .instrument import DARING, LURING, Fact, FactKind, Indicator, Instrument, Ticks, Variant
from .instrument.facts import HUNDRED, FactValueError
from .instrument.rules import Between, Compare, Ticked, walk
from .scoring import gain_per_level

Asked = Indicator | Variant  # what a unit answers: the indicator, or its daring variant
MAX_NOTE_LENGTH = 1000
SEARCH_DEPTH = 3  # no ladder of the bundled instruments needs more changes than this to rise one level
PERCENT_STEP = Decimal("0.01")


class FactAnswerError(ValueError):
    """Answers that cannot be read: ``problems`` maps a fact key (or "" for the whole) to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{key}: {message}" if key else message for key, message in problems.items()))


@dataclass(frozen=True)
class FactAnswers:
    """The read answers to one indicator's facts (fact key -> value); unanswered facts are absent."""

    values: Mapping[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass(frozen=True)
class Confirmation:
    """A reviewer's word on one fact: confirmed by the evidence, or not, with what the evidence does show."""

    confirmed: bool
    value: Any = None
    note: str = ""


@dataclass(frozen=True)
class Change:
    fact: Fact
    value: Any  # the answer that would be given (read form)
    description: str  # in Indonesian, for the unit


@dataclass(frozen=True)
class Step:
    """The fewest changes that raise the level, the level they reach and what that adds to the IPP (exact)."""

    changes: tuple[Change, ...]
    level_from: int
    level_to: int
    ipp_gain: Decimal


def asked_of(indicator: Indicator, mode: str = LURING) -> Asked:
    """What a unit delivering its services this way answers for ``indicator``."""
    return indicator.daring if mode == DARING and indicator.daring is not None else indicator


def read_answers(asked: Asked, data: Any) -> FactAnswers:
    """Check a submitted answer (JSON, see the module docstring); FactAnswerError names every bad fact."""
    if not isinstance(data, dict):
        raise FactAnswerError({"": "Jawaban fakta harus berupa objek JSON."})
    known = {fact.key: fact for fact in asked.facts}
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, value in data.items():
        fact = known.get(key)
        if fact is None:
            problems[str(key)] = "Fakta ini tidak ada pada indikator."
        elif value is not None:
            try:
                values[key] = fact.read(value)
            except FactValueError as error:
                problems[key] = str(error)
    if problems:
        raise FactAnswerError(problems)
    return FactAnswers(values)


def answers_json(asked: Asked, answers: FactAnswers) -> dict[str, Any]:
    """The JSON to store; ``read_answers`` gives the same answers back."""
    return {f.key: f.answer_json(answers.values[f.key]) for f in asked.facts if f.key in answers.values}


def missing_facts(asked: Asked, answers: FactAnswers) -> list[Fact]:
    """The facts the level depends on that are not answered yet."""
    return [fact for fact in asked.facts if fact.scored and fact.key not in answers.values]


def level_for(asked: Asked, answers: FactAnswers) -> int | None:
    """The level the answers give by the F-02 rule; None until every fact it depends on is answered."""
    if asked.rule is None or missing_facts(asked, answers):
        return None
    return asked.rule.level(answers.values)


def next_step(instrument: Instrument, indicator: Indicator, answers: FactAnswers, mode: str = LURING) -> Step | None:
    """The next fact(s) that would raise the level, or None at level 5 (or while the answers are incomplete).

    A breadth-first search over single changes a unit can make (a Tidak to Ya, one more item ticked,
    another option, a higher count or percentage), so the fewest changes win; among those, the one
    reaching the lowest higher level (the very next rung), then the one asked first.
    """
    asked = asked_of(indicator, mode)
    level = level_for(asked, answers)
    if level is None or level == 5:
        return None
    start = dict(answers.values)
    frontier: list[tuple[dict[str, Any], tuple[Change, ...]]] = [(start, ())]
    seen = {_state_key(start)}
    for _ in range(SEARCH_DEPTH):
        following = []
        for values, changes in frontier:
            for change in _changes(asked, values):
                state = {**values, change.fact.key: change.value}
                if (key := _state_key(state)) not in seen:
                    seen.add(key)
                    following.append((state, (*changes, change)))
        reached = [(asked.rule.level(state), changes) for state, changes in following]
        raised = [(level_to, changes) for level_to, changes in reached if level_to > level]
        if raised:
            level_to, changes = min(raised, key=lambda found: found[0])
            gain = Decimal(0) if _pending(asked) else gain_per_level(instrument, indicator.code) * (level_to - level)
            return Step(changes, level, level_to, gain)
        frontier = following
    return None


def read_confirmations(asked: Asked, data: Any) -> dict[str, Confirmation]:
    """Check a reviewer's confirmations (JSON, see the module docstring); FactAnswerError names every bad one."""
    if not isinstance(data, dict):
        raise FactAnswerError({"": "Konfirmasi fakta harus berupa objek JSON."})
    known = {fact.key: fact for fact in asked.facts if fact.scored}
    problems: dict[str, str] = {}
    confirmations: dict[str, Confirmation] = {}
    for key, entry in data.items():
        fact = known.get(key)
        if fact is None:
            problems[str(key)] = "Fakta ini tidak ada (atau tidak dinilai) pada indikator."
            continue
        try:
            confirmations[key] = _confirmation(fact, entry)
        except FactValueError as error:
            problems[key] = str(error)
    if problems:
        raise FactAnswerError(problems)
    return confirmations


def verified_answers(asked: Asked, answers: FactAnswers, confirmations: Mapping[str, Confirmation]) -> FactAnswers:
    """The facts as the evidence shows them: the unit's where confirmed, the reviewer's where not.

    A fact without a confirmation yet stays out, so ``level_for`` gives no verified level until the
    reviewer has gone through every fact; free-text facts pass through unchanged.
    """
    values: dict[str, Any] = {}
    for fact in asked.facts:
        if not fact.scored:
            if fact.key in answers.values:
                values[fact.key] = answers.values[fact.key]
            continue
        confirmation = confirmations.get(fact.key)
        if confirmation is None:
            continue
        if confirmation.confirmed:
            if fact.key in answers.values:
                values[fact.key] = answers.values[fact.key]
        else:
            values[fact.key] = confirmation.value
    return FactAnswers(values)


# --- inside ---------------------------------------------------------------------------------------------


def _pending(asked: Asked) -> bool:
    return isinstance(asked, Variant) and bool(asked.pending)


def _confirmation(fact: Fact, entry: Any) -> Confirmation:
    if not isinstance(entry, dict) or not isinstance(entry.get("confirmed"), bool):
        raise FactValueError("Tandai fakta ini sesuai atau tidak sesuai bukti.")
    if entry["confirmed"]:
        return Confirmation(True)
    note = entry.get("note")
    if not isinstance(note, str) or not note.strip():
        raise FactValueError("Catatan wajib diisi untuk fakta yang tidak sesuai bukti.")
    if len(note.strip()) > MAX_NOTE_LENGTH:
        raise FactValueError(f"Catatan paling banyak {MAX_NOTE_LENGTH} karakter.")
    if entry.get("value") is None:
        raise FactValueError("Isi keadaan yang ditunjukkan bukti untuk fakta yang tidak sesuai.")
    return Confirmation(False, fact.read(entry["value"]), note.strip())


def _state_key(values: Mapping[str, Any]) -> tuple:
    return tuple(sorted(values.items()))


def _changes(asked: Asked, values: Mapping[str, Any]) -> Iterator[Change]:
    """The single improvements a unit can make to its answers, in the order the facts are asked."""
    nodes = [node for condition in asked.rule.conditions for node in walk(condition)]
    for fact in asked.facts:
        if fact.key in asked.rule.fact_keys:
            yield from _changes_of(fact, values[fact.key], nodes)


def _changes_of(fact: Fact, value: Any, nodes: list) -> Iterator[Change]:
    if fact.kind == FactKind.YES_NO:
        if not value:
            yield Change(fact, True, f"Jawab Ya: {fact.question}")
    elif fact.kind == FactKind.CHOICE:
        for option in fact.options:
            if option.key != value:
                yield Change(fact, option.key, f"{fact.question} → {option.label}")
    elif fact.kind == FactKind.TICK_LIST:
        yield from _tick_changes(fact, value, nodes)
    else:
        yield from _number_changes(fact, value, nodes)


def _tick_changes(fact: Fact, value: Ticks, nodes: list) -> Iterator[Change]:
    named = {node.item for node in nodes if isinstance(node, Ticked) and node.fact == fact.key}
    for option in fact.options:
        if option.key in named and option.key not in value.items:
            yield Change(fact, _tick(value, option), f"Centang “{option.label}” ({fact.question})")
    # Any other item raises a count alike: one change stands for them all, naming the first still open.
    others = [o for o in fact.options if o.key not in named and o.key not in value.items]
    if others:
        yield Change(fact, _tick(value, others[0]),
                     f"Centang satu butir lagi pada “{fact.question}”, misalnya “{others[0].label}”")


def _tick(value: Ticks, option) -> Ticks:
    return Ticks(value.items | {option.key}, value.other or ("(sebutkan)" if option.other else ""))


def _number_changes(fact: Fact, value: Any, nodes: list) -> Iterator[Change]:
    limits = set()
    for node in nodes:
        if isinstance(node, Compare) and node.term.fact == fact.key:
            limits.add(node.limit)
        elif isinstance(node, Between) and node.term.fact == fact.key:
            limits.update((node.low, node.high))
    if fact.kind == FactKind.COUNT:
        candidates = {value + 1} | {int(t) + d for t in limits for d in (0, 1) if int(t) + d > value}
        for target in sorted(candidates):
            yield Change(fact, target, f"{fact.question} → {target}")
        return
    candidates = {t + d for t in limits for d in (Decimal(0), PERCENT_STEP)} | {HUNDRED}
    for target in sorted(c for c in candidates if value < c <= HUNDRED):
        wording = (f"lebih dari {fact.describe(target - PERCENT_STEP)}" if target - PERCENT_STEP in limits
                   else f"sekurang-kurangnya {fact.describe(target)}")
        yield Change(fact, target, f"{fact.question} → {wording}")
