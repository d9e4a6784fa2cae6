"""Builders for test data; each returns flushed objects with ids."""
from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta

from pypdf import PdfReader
from werkzeug.security import generate_password_hash

from assessment.domain import team
from assessment.domain.answers import assessment_for, save_answers
from assessment.domain.formatting import today_wib
from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH, load_default_instrument
from assessment.domain.instrument_store import import_instrument
from assessment.domain.models import (
    Assessment,
    AssessmentStatus,
    Period,
    Review,
    ReviewDecision,
    Role,
    TeamMember,
    TeamRole,
    Unit,
    UnitKind,
    User,
    utcnow,
)
from assessment.domain.sessions import start_session
from assessment.extensions import db
from assessment.web.form_fields import field_key

PASSWORD = "rahasia-uji-123"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
INSTRUMENT = load_default_instrument()


def make_unit(short_name: str, kind: UnitKind = UnitKind.DINAS) -> Unit:
    unit = Unit(name=f"Unit {short_name}", short_name=short_name, kind=kind)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(username: str, role: Role, unit: Unit | None = None) -> User:
    user = User(username=username, full_name=f"Pegawai {username}", nip="198001012005011001", role=role,
                unit=unit, password_hash=PASSWORD_HASH)
    db.session.add(user)
    db.session.flush()
    return user


def make_period(year: int | None = None, days_left: int = 14, is_open: bool = True,
                require_evidence: bool = False) -> Period:
    """An open period; the evidence rule is off unless a test is about it (most tests submit bare forms)."""
    today = today_wib()
    version, _ = import_instrument(DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"))
    period = Period(
        year=year or today.year,
        title=f"Penilaian Mandiri PEKPPP Tahun {year or today.year}",
        instrument_version=version,
        opens_on=today - timedelta(days=30),
        deadline=today + timedelta(days=days_left),
        is_open=is_open,
        require_evidence=require_evidence,
    )
    db.session.add(period)
    db.session.flush()
    return period


def fill(assessment: Assessment, user: User, level_of=lambda indicator: 4, codes=None) -> None:
    """Answer the given (default: all scored) indicators with ``level_of(indicator)``."""
    items = [i for i in INSTRUMENT.indicators if codes is None or i.code in codes]
    entries = {i.code: (level_of(i), f"Penjelasan {i.code}") for i in items}
    save_answers(assessment, entries, user, today_wib())


def version_of(rows: dict, code: str) -> int:
    """The stored version of an answer or a review (``assessment.answers`` / ``.reviews``); 0 while there is none."""
    return rows[code].version if code in rows else 0


def answer_fields(code: str, level: int | str | None = None, justification: str | None = None,
                  version: int = 0) -> dict[str, str]:
    """What the aspect page posts for one indicator: its level and justification, with the version it was based on."""
    key = field_key(code)
    fields = {f"{key}-version": str(version)}
    if level is not None:
        fields[f"{key}-level"] = str(level)
    if justification is not None:
        fields[f"{key}-justification"] = justification
    return fields


def page_as_rendered(client, url: str) -> dict[str, str]:
    """What a browser without JavaScript posts from an aspect page it loaded, nothing changed: every indicator's
    hidden fields, checked level and justification."""
    page = client.get(url).text
    data = {"action": "save"}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\S+?)="([^"]*)"', tag))
        name = attributes.get("name", "")
        if name.endswith(("-version", "-key", "-shown")) or (name.endswith("-level") and " checked" in tag):
            data[name] = attributes["value"]
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+-justification)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(text)
    return data


def review_fields(code: str, choice: str, note: str = "", version: int = 0) -> dict[str, str]:
    """What the review page posts for one indicator."""
    key = field_key(code)
    return {f"{key}-choice": choice, f"{key}-note": note, f"{key}-version": str(version)}


@dataclass
class World:
    period: Period
    unit: Unit
    other_unit: Unit
    opd: User
    other_opd: User
    reviewer: User
    admin: User
    assessment: Assessment
    other_assessment: Assessment


def make_world() -> World:
    period = make_period()
    unit, other_unit = make_unit("DPMPTSP"), make_unit("Disdukcapil")
    world = World(
        period=period,
        unit=unit,
        other_unit=other_unit,
        opd=make_user("dpmptsp", Role.OPD, unit),
        other_opd=make_user("disdukcapil", Role.OPD, other_unit),
        reviewer=make_user("organisasi", Role.REVIEWER),
        admin=make_user("admin", Role.ADMIN),
        assessment=assessment_for(unit, period),
        other_assessment=assessment_for(other_unit, period),
    )
    db.session.commit()
    return world


def set_status(assessment: Assessment, status: AssessmentStatus) -> None:
    assessment.status = status
    db.session.commit()


def mark_verified(assessment: Assessment, reviewer: User, changes: dict[str, int] | None = None) -> None:
    """Put an answered assessment straight into the verified state (bypassing the review pages).

    Every scored indicator is reviewed: the reviewer agrees, except for the codes
    in ``changes``, which get that verified level.
    """
    changes = changes or {}
    for indicator in INSTRUMENT.indicators:
        level = changes.get(indicator.code)
        assessment.reviews[indicator.code] = Review(
            indicator_code=indicator.code,
            decision=ReviewDecision.AGREE if level is None else ReviewDecision.CHANGE,
            verified_level=level,
            note="" if level is None else "Bukti dukung belum memadai.",
            reviewer=reviewer,
        )
    assessment.status = AssessmentStatus.VERIFIED
    assessment.submitted_at = assessment.verified_at = utcnow()
    assessment.verified_by = reviewer
    db.session.flush()


def sign_in(client, user: User) -> str:
    """Give a test client a real server-side session of ``user`` without the login form (and its slow hash);
    returns the session's token, the value the cookie carries."""
    token = start_session(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    return token


def add_member(period: Period, user: User, role: str = "anggota",
               jabatan: str = "Analis Kebijakan Ahli Muda") -> TeamMember:
    """The user in the period's evaluator team (formed if needed), through the team service."""
    return team.save_member(period, user, TeamRole(role), jabatan, user.nip or "", user)


def assign(period: Period, unit: Unit, member_user: User, aspect_code: str = "", by: User | None = None) -> None:
    """Give the unit ("" for all of it) or one aspect to the team member who has the account ``member_user``."""
    member = team.member_of(team.team_of(period.id), member_user)
    team.assign(period, unit, aspect_code, member.id, by or member_user)


def pdf_text(data: bytes) -> str:
    """A PDF's text, its whitespace made single spaces (so a phrase a line break splits still matches)."""
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
