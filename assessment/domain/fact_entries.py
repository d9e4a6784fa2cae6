"""F-01 facts as the pages send and store them: what a unit is asked, the canonical text of its answers, the level.

Shared by the OPD's aspect pages and the review page. A page carries one indicator's answers in a hidden field as
JSON text (kept up to date by static/js/facts.js) and, for a save without JavaScript, as one form control per fact
(``<prefix>-<fact key>``, see ``assemble``). The text is compared with the stored one to decide a save
(assessment/domain/saves.py), so it is always reduced to its canonical form first (``canonical``).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .fact_answers import (
    Asked,
    Confirmation,
    FactAnswerError,
    FactAnswers,
    answers_json,
    asked_of,
    level_for,
    read_answers,
    read_confirmations,
    verified_answers,
)
from .instrument import DARING, LURING, Fact, FactKind, Indicator, Instrument

NONE_TICKED = "__none__"  # the tick list's "none of these" box: answered, with nothing ticked
YES, NO = "ya", "tidak"
GetList = Callable[[str], list[str]]


def mode_of(instrument: Instrument, delivery: str) -> str:
    """The variant a unit answers: daring only for a unit serving online only, once the instrument is ready for it."""
    return DARING if delivery == DARING and instrument.mode_ready(DARING) else LURING


def asked_for(instrument: Instrument, indicator: Indicator, delivery: str) -> Asked:
    return asked_of(indicator, mode_of(instrument, delivery))


def to_text(data: Mapping[str, Any] | None) -> str:
    """The JSON text of stored answers or checks ("" for none), in the order they are stored."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) if data else ""


def parse_text(text: str | None) -> Any:
    """The JSON a page sent ({} for nothing); FactAnswerError when it is not JSON at all."""
    if not text or not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError:
        raise FactAnswerError({"": "Jawaban fakta tidak dapat dibaca; muat ulang halaman."}) from None


def raw_values(text: str | None) -> dict[str, Any]:
    """What a page shows in its controls: the sent JSON as it is (even unreadable values), {} if none."""
    try:
        data = parse_text(text)
    except FactAnswerError:
        return {}
    return data if isinstance(data, dict) else {}


def canonical(asked: Asked, text: str | None) -> tuple[str, FactAnswers]:
    """The canonical text of a sent answer and the answers read; FactAnswerError names every bad fact."""
    answers = read_answers(asked, parse_text(text))
    return to_text(answers_json(asked, answers)), answers


def stored_answers(asked: Asked, data: Mapping[str, Any] | None) -> FactAnswers:
    """Stored answers read back; answers the instrument no longer reads count as not given."""
    try:
        return read_answers(asked, dict(data or {}))
    except FactAnswerError:
        return FactAnswers(_readable(asked, data or {}))


def level_of(asked: Asked, data: Mapping[str, Any] | None) -> int | None:
    return level_for(asked, stored_answers(asked, data))


def first_problem(asked: Asked, error: FactAnswerError) -> str:
    """One message for the indicator, naming the fact it is about."""
    key, message = next(iter(error.problems.items()))
    fact = next((f for f in asked.facts if f.key == key), None)
    return f"{fact.question}: {message}" if fact else message


# --- the controls of a page without JavaScript --------------------------------------------------------------


def assemble(facts: tuple[Fact, ...], prefix: str, getlist: GetList) -> dict[str, Any]:
    """The JSON answer the controls named ``<prefix>-<fact key>`` hold (static/js/facts.js builds the same)."""
    values = {}
    for fact in facts:
        value = control_value(fact, f"{prefix}-{fact.key}", getlist)
        if value is not None:
            values[fact.key] = value
    return values


def sent_answers_text(asked: Asked, data: dict[str, Any]) -> str:
    """The JSON text of the answers a page's controls hold (see ``_sent_text``)."""
    return _sent_text(data, lambda text: canonical(asked, text))


def sent_checks_text(asked: Asked, data: dict[str, Any]) -> str:
    """The JSON text of the checks a review page's controls hold (see ``_sent_text``)."""
    return _sent_text(data, lambda text: canonical_checks(asked, text))


def _sent_text(data: dict[str, Any], canonical_of: Callable[[str], tuple[str, Any]]) -> str:
    """In canonical form when it reads, so that a page sent back as it showed matches the digest of what it showed
    (form_fields.IndicatorEntryForm.untouched: then no conflict with another person's save in between); unreadable,
    as sent, for the save to refuse with its message."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        return canonical_of(text)[0]
    except FactAnswerError:
        return text


def control_value(fact: Fact, name: str, getlist: GetList) -> Any:
    """One fact's answer as its controls hold it; None when nothing is given."""
    sent = [value.strip() for value in getlist(name)]
    first = sent[0] if sent else ""
    if fact.kind == FactKind.YES_NO:
        return {YES: True, NO: False}.get(first)
    if fact.kind == FactKind.TICK_LIST:
        items = [value for value in sent if value and value != NONE_TICKED]
        if not items and NONE_TICKED not in sent:
            return None
        other = " ".join(" ".join(getlist(f"{name}-lainnya")).split())
        return {"items": items, "other": other} if other else {"items": items}
    return first or None


def _readable(asked: Asked, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for fact in asked.facts:
        try:
            if data.get(fact.key) is not None:
                values[fact.key] = fact.read(data[fact.key])
        except ValueError:
            continue
    return values


# --- a reviewer's check of each fact ------------------------------------------------------------------------

CONFIRMED, NOT_CONFIRMED = "sesuai", "tidak"


def checks_json(asked: Asked, confirmations: Mapping[str, Confirmation]) -> dict[str, Any]:
    """The stored form of read confirmations, in the order the facts are asked (read_confirmations reads it back)."""
    data = {}
    for fact in asked.facts:
        check = confirmations.get(fact.key)
        if check is not None:
            data[fact.key] = ({"confirmed": True} if check.confirmed else
                              {"confirmed": False, "value": fact.answer_json(check.value), "note": check.note})
    return data


def canonical_checks(asked: Asked, text: str | None) -> tuple[str, dict[str, Confirmation]]:
    """The canonical text of sent checks and the checks read; FactAnswerError names every bad one."""
    confirmations = read_confirmations(asked, parse_text(text))
    return to_text(checks_json(asked, confirmations)), confirmations


def stored_checks(asked: Asked, data: Mapping[str, Any] | None) -> dict[str, Confirmation]:
    try:
        return read_confirmations(asked, dict(data or {}))
    except FactAnswerError:
        return {}  # checks of facts the instrument no longer asks: to be taken again


def verified_level_of(asked: Asked, answers: FactAnswers, confirmations: Mapping[str, Confirmation]) -> int | None:
    """The level the facts as the evidence shows them give; None until every fact is checked."""
    return level_for(asked, verified_answers(asked, answers, confirmations))


def assemble_checks(facts: tuple[Fact, ...], prefix: str, getlist: GetList) -> dict[str, Any]:
    """The JSON checks that the controls ``<prefix>-cek-<key>``, ``-catatan-<key>`` and ``-nilai-<key>`` hold."""
    data: dict[str, dict[str, Any]] = {}
    for fact in facts:
        if not fact.scored:
            continue
        word = (getlist(f"{prefix}-cek-{fact.key}") or [""])[0]
        if word == CONFIRMED:
            data[fact.key] = {"confirmed": True}
        elif word == NOT_CONFIRMED:
            data[fact.key] = {"confirmed": False, "note": (getlist(f"{prefix}-catatan-{fact.key}") or [""])[0],
                              "value": control_value(fact, f"{prefix}-nilai-{fact.key}", getlist)}
    return data
