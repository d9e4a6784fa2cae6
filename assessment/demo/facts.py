"""The demo's answers on an instrument with F-01 facts: facts that give each level the scenario wants, and a
reviewer's checks of them (a few facts not borne out by the evidence)."""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from ..domain.fact_answers import FactAnswers, answers_json, asked_of, level_for, next_step
from ..domain.fact_entries import mode_of
from ..domain.instrument import Fact, FactKind, Indicator, Instrument, Ticks

NOT_SHOWN = "Bukti dukung belum menunjukkan fakta ini: {evidence}."


def lowest(fact: Fact) -> Any:
    """The answer that gives the least: Tidak, the first option, nothing ticked, zero."""
    if fact.kind == FactKind.CHOICE:
        return fact.options[0].key
    return {FactKind.YES_NO: False, FactKind.TICK_LIST: Ticks(frozenset()), FactKind.COUNT: 0,
            FactKind.PERCENT: Decimal(0), FactKind.TEXT: "Rinciannya pada bukti dukung."}[fact.kind]


def facts_for_level(instrument: Instrument, indicator: Indicator, target: int, delivery: str) -> dict[str, Any]:
    """Answers (stored form) that reach ``target``, or as near as the rule lets the next steps go."""
    mode = mode_of(instrument, delivery)
    asked = asked_of(indicator, mode)
    answers = FactAnswers({fact.key: lowest(fact) for fact in asked.facts})
    while (level_for(asked, answers) or 0) < target:
        step = next_step(instrument, indicator, answers, mode)
        if step is None:
            break
        answers = FactAnswers({**answers.values, **{change.fact.key: change.value for change in step.changes}})
    return answers_json(asked, answers)


def fact_answers(instrument: Instrument, levels: dict[str, tuple[int, str]], delivery: str
                 ) -> dict[str, tuple[dict[str, Any], str]]:
    return {code: (facts_for_level(instrument, instrument.item(code), level, delivery), text)
            for code, (level, text) in levels.items()}


def fact_checks(instrument: Instrument, stored: dict[str, dict | None], lowered: set[str], delivery: str
                ) -> dict[str, tuple[dict[str, Any], str, str]]:
    """Every fact confirmed, except in ``lowered``: there the first fact above its lowest answer is not borne out."""
    checks = {}
    for item in instrument.indicators:
        asked = asked_of(item, mode_of(instrument, delivery))
        data = stored.get(item.code) or {}
        scored = [fact for fact in asked.facts if fact.scored]
        entry: dict[str, dict[str, Any]] = {fact.key: {"confirmed": True} for fact in scored}
        doubtful = next((f for f in scored if item.code in lowered and data.get(f.key) != f.answer_json(lowest(f))), None)
        if doubtful is not None:
            entry[doubtful.key] = {"confirmed": False, "value": doubtful.answer_json(_less(doubtful, data[doubtful.key])),
                                   "note": NOT_SHOWN.format(evidence=doubtful.evidence or item.evidence[0])}
        checks[item.code] = (entry, "", "")
    return checks


def lowered_codes(instrument: Instrument, levels: dict[str, int | None], rng: random.Random) -> set[str]:
    return set(rng.sample([i.code for i in instrument.indicators if levels.get(i.code)], 3))


def _less(fact: Fact, given: Any) -> Any:
    """What the evidence shows instead: one ticked item or one counted less, else the lowest answer."""
    value = fact.read(given)
    if fact.kind == FactKind.TICK_LIST and value.items:
        kept = [o.key for o in fact.options if o.key in value.items][:-1]
        return Ticks(frozenset(kept), value.other if fact.other_item and fact.other_item.key in kept else "")
    if fact.kind == FactKind.COUNT and value > 0:
        return value - 1
    return lowest(fact)
