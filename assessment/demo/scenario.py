"""Play the demo year through the real services, so every state a newcomer may meet is there."""
from __future__ import annotations

import random
import textwrap
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..domain.answers import assessment_for, save_answers, submit_assessment
from ..domain.evidence.services import Upload, store_uploads
from ..domain.instrument import DEFAULT_INSTRUMENT_PATH, LATEST_INSTRUMENT_PATH, Instrument
from ..domain.instrument_store import import_instrument
from ..domain.models import Assessment, AssessmentStatus, InstrumentVersion, PemdaSettings, Period, Unit, User
from ..domain.reviews import AGREE, return_assessment, save_review, verify_assessment
from ..extensions import db
from ..review.fact_services import store_fact_reviews
from ..selfassessment.fact_saving import store_fact_answers
from ..surveys.demo import load_demo_surveys
from .data import ACCOUNTS, CURRENT_STATES, DEMO_PASSWORD, DISDUKCAPIL_ANSWERS, LETTERHEAD, PANGKAT, PAST_STRENGTH, UNITS
from .evaluation import (
    CONVERSATION_UNIT,
    WINDOW_UNIT,
    load_demo_conversation,
    load_demo_followup,
    load_demo_team,
    load_demo_visit,
    load_demo_window,
)
from .evidence import tiny_pdf
from .facts import fact_answers, fact_checks, lowered_codes

RETURN_REASON = "Bukti dukung beberapa indikator belum lengkap; mohon lengkapi indikator yang diberi catatan."


def load_demo(today: date) -> str:
    """Create what is missing (idempotent) and say what the demo holds."""
    # Last year ran on the 2023 file; this year runs on the version with the official F-02 texts and F-01 facts.
    old_version, _ = import_instrument(DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    version, _ = import_instrument(LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    units = {short: _unit(name, short, kind) for name, short, kind in UNITS}
    users = {account[0]: _account(*account, units=units) for account in ACCOUNTS}
    opd_of = {user.unit.short_name: user for user in users.values() if user.unit}
    _letterhead()
    reviewer = users["organisasi"]

    past = _period(old_version, today.year - 1, date(today.year - 1, 9, 1), date(today.year - 1, 10, 31))
    if past is not None:
        for short, strength in PAST_STRENGTH.items():
            _play(past, units[short], opd_of[short], reviewer, AssessmentStatus.VERIFIED, strength, past.deadline,
                  today)
        past.is_open = False
        load_demo_followup(past, units, opd_of, reviewer)
    current = _period(version, today.year, today - timedelta(days=30), today + timedelta(days=21))
    if current is not None:
        for short, (state, strength) in CURRENT_STATES.items():
            if state is not None:
                _play(current, units[short], opd_of[short], reviewer, state, strength, today, today)
        load_demo_surveys(current, units, opd_of, today)
        load_demo_team(current, units, users, today)
        load_demo_window(current, units[WINDOW_UNIT], opd_of[WINDOW_UNIT], reviewer, today)
        load_demo_visit(current, units[WINDOW_UNIT], users, today)
        load_demo_conversation(current, units[CONVERSATION_UNIT], opd_of[CONVERSATION_UNIT])
    db.session.flush()
    return (f"Data contoh siap: {len(units)} unit, {len(users)} akun (kata sandi '{DEMO_PASSWORD}'), "
            f"periode {today.year - 1} (terverifikasi) dan {today.year} (berjalan).")


def _play(period: Period, unit: Unit, opd: User, reviewer: User, state: AssessmentStatus, strength: int,
          day: date, today: date) -> None:
    assessment = assessment_for(unit, period)
    instrument = period.instrument
    rng = random.Random(f"{unit.short_name}-{period.year}")
    if unit.short_name == "Disdukcapil" and state == AssessmentStatus.DRAFT:
        _answer(assessment, DISDUKCAPIL_ANSWERS, opd, day)
        return
    _answer(assessment, _answers(instrument, strength, rng), opd, day)
    _attach_evidence(assessment, opd)
    submit_assessment(assessment, opd, day)
    if state == AssessmentStatus.SUBMITTED:
        return
    if instrument.has_facts:  # the reviewer checks the facts one by one; a few are not borne out by the evidence
        lowered = lowered_codes(instrument, assessment.levels(), rng)
        stored = {code: answer.facts for code, answer in assessment.answers.items()}
        store_fact_reviews(assessment, fact_checks(instrument, stored, lowered, unit.delivery), reviewer)
    else:
        save_review(assessment, _decisions(instrument, assessment, rng), reviewer)
    if state == AssessmentStatus.RETURNED:
        return_assessment(assessment, reviewer, RETURN_REASON)
        return
    verify_assessment(assessment, reviewer)
    if day < today:  # a past year: date the steps inside that year, as they happened
        assessment.submitted_at = datetime.combine(day - timedelta(days=5), time(2, 30))
        assessment.verified_at = datetime.combine(day + timedelta(days=20), time(7, 0))


def _answer(assessment: Assessment, levels: dict[str, tuple[int, str]], opd: User, day: date) -> None:
    """By level on the 2023 file; on a file with facts, by facts that give (about) those levels."""
    if assessment.instrument.has_facts:
        store_fact_answers(assessment, fact_answers(assessment.instrument, levels, assessment.unit.delivery), opd)
    else:
        save_answers(assessment, levels, opd, day)


def _attach_evidence(assessment: Assessment, opd: User) -> None:
    """One small PDF per indicator above level 0, named after what the instrument asks for."""
    levels = assessment.levels()
    uploads = [
        Upload(item.code, f"{item.code} - {_file_title(item.evidence[0])}.pdf",
               tiny_pdf([f"Contoh bukti dukung {item.code}", assessment.unit.name, f"PEKPPP {assessment.period.year}"]))
        for item in assessment.instrument.indicators if (levels.get(item.code) or 0) > 0
    ]
    store_uploads(assessment, uploads, opd)
    db.session.expire(assessment, ["evidence"])


def _answers(instrument: Instrument, strength: int, rng: random.Random) -> dict[str, tuple[int, str]]:
    answers = {}
    for item in instrument.all_items:
        level = max(0, min(5, strength + rng.choice((-2, -1, 0, 0, 0, 1))))
        text = f"Tersedia: {_in_sentence(item.evidence[0])}." if level else "Belum tersedia."
        answers[item.code] = (level, text)
    return answers


def _decisions(instrument: Instrument, assessment: Assessment, rng: random.Random) -> dict[str, tuple[str, str]]:
    levels = assessment.levels()
    lowered = set(rng.sample([i.code for i in instrument.indicators if levels.get(i.code)], 3))
    def note(item) -> str:
        return f"Bukti dukung belum memadai: {_in_sentence(item.evidence[0])} belum dilampirkan."

    return {
        item.code: (str(level - 1), note(item)) if item.code in lowered and (level := levels[item.code]) else (AGREE, "")
        for item in instrument.indicators
    }


def _in_sentence(text: str) -> str:
    """A phrase continuing a sentence: "Dokumen SOP" -> "dokumen SOP", but "SK Kepala" stays."""
    return text if text[:2].isupper() else text[0].lower() + text[1:]


def _file_title(text: str) -> str:
    """A file name from a description: no "/" (it would read as a folder), cut at a word within 60 characters."""
    return textwrap.shorten(text.replace("/", "-"), width=60, placeholder="")


def _letterhead() -> None:
    if db.session.scalar(sa.select(PemdaSettings).limit(1)) is None:
        db.session.add(PemdaSettings(**LETTERHEAD))


def _period(version: InstrumentVersion, year: int, opens_on: date, deadline: date) -> Period | None:
    """A new open period for the year, or None when the year exists already (nothing to play)."""
    if db.session.scalar(sa.select(Period).where(Period.year == year)) is not None:
        return None
    period = Period(year=year, title=f"Penilaian Mandiri PEKPPP Tahun {year}", instrument_version=version,
                    opens_on=opens_on, deadline=deadline, is_open=True,
                    recap_number=f"700/214/Org/{year}", pack_number=f"700/215/Org/{year}")
    db.session.add(period)
    db.session.flush()
    return period


def _unit(name: str, short_name: str, kind) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.short_name == short_name))
    if unit is None:
        unit = Unit(name=name, short_name=short_name, kind=kind, active=True)
        db.session.add(unit)
    return unit


def _account(username: str, full_name: str, nip: str, role, unit_short: str | None, units: dict) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=full_name, nip=nip, pangkat=PANGKAT.get(username), role=role,
                    unit=units[unit_short] if unit_short else None, active=True)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user
