"""The evaluator team of a period: who examines what, and so who may decide, conclude and reassign.

A team takes effect with its first assignment. Until then (no team yet, or one still being formed) every
reviewer decides every indicator of every unit, as before teams existed. Once it is in force:

- a member decides the indicators of what is assigned to them: a whole unit (each aspect of it that is not
  given to someone else) or single aspects of a unit; everything else they only read;
- the ketua decides what is assigned to them and what nobody holds, concludes any unit (returns or
  verifies it) and reassigns; an anggota concludes a unit assigned to them as a whole;
- the admin may do everything; a reviewer outside the team reads only.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from . import audit
from .instrument import Instrument
from .lifecycle import ActionRefused
from .models import (
    TEAM_ROLE_LABELS,
    WHOLE_UNIT,
    Assessment,
    AssessmentStatus,
    Assignment,
    EvaluationTeam,
    Period,
    Review,
    Role,
    TeamMember,
    TeamRole,
    Unit,
    User,
)

STAFF = (Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class Duties:
    """What one user may do on one assessment, and who holds each part of its unit (for the page)."""

    codes: frozenset[str]  # the indicators whose decision the user may change
    conclude: bool  # return, verify, edit the recommendations
    holders: dict[str, TeamMember | None] = field(default_factory=dict)  # aspect code -> member; empty: no team

    def holder_of(self, aspect_code: str) -> TeamMember | None:
        return self.holders.get(aspect_code)


def period_of(year: int | None) -> Period | None:
    """The period of the year; without a year, the open period of the latest year, else the latest."""
    if year is None:
        return db.session.scalar(sa.select(Period).order_by(Period.is_open.desc(), Period.year.desc()).limit(1))
    return db.session.scalar(sa.select(Period).where(Period.year == year)) if 0 < year < 10_000 else None


def team_of(period_id: int) -> EvaluationTeam | None:
    return db.session.scalar(sa.select(EvaluationTeam).where(EvaluationTeam.period_id == period_id))


def in_force(team: EvaluationTeam | None) -> bool:
    """Whether the team decides who does what: from its first assignment on."""
    return team is not None and db.session.scalar(
        sa.select(sa.exists().where(Assignment.team_id == team.id))) is True


def member_of(team: EvaluationTeam | None, user: User) -> TeamMember | None:
    if team is None:
        return None
    return db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id))


def unit_assignments(team: EvaluationTeam, unit_id: int) -> dict[str, Assignment]:
    """The unit's assignments by aspect code (WHOLE_UNIT for the unit as a whole)."""
    query = sa.select(Assignment).where(Assignment.team_id == team.id, Assignment.unit_id == unit_id)
    return {assignment.aspect_code: assignment for assignment in db.session.scalars(query)}


def holders(instrument: Instrument, assignments: dict[str, Assignment]) -> dict[str, TeamMember | None]:
    """Who examines each aspect: the member it is given to, else the holder of the whole unit, else nobody."""
    whole = assignments.get(WHOLE_UNIT)
    result: dict[str, TeamMember | None] = {}
    for aspect in instrument.aspects:
        assignment = assignments.get(aspect.code, whole)
        result[aspect.code] = assignment.member if assignment else None
    return result


def duties(assessment: Assessment, user: User) -> Duties:
    instrument = assessment.instrument
    every_code = frozenset(indicator.code for indicator in instrument.indicators)
    if user.role not in STAFF:
        return Duties(frozenset(), conclude=False)
    team = team_of(assessment.period_id)
    if not in_force(team):
        return Duties(every_code, conclude=True)
    assert team is not None, "a team in force exists"
    assignments = unit_assignments(team, assessment.unit_id)
    held = holders(instrument, assignments)
    if user.role == Role.ADMIN:
        return Duties(every_code, True, held)
    member = member_of(team, user)
    if member is None:
        return Duties(frozenset(), False, held)
    is_ketua = member.role == TeamRole.KETUA
    codes = frozenset(indicator.code for aspect in instrument.aspects for indicator in aspect.indicators
                      if held[aspect.code] is member or (is_ketua and held[aspect.code] is None))
    whole = assignments.get(WHOLE_UNIT)
    return Duties(codes, is_ketua or (whole is not None and whole.member is member), held)


def may_reassign(period: Period, user: User) -> bool:
    """The admin, or the ketua of the period's team."""
    if user.role == Role.ADMIN:
        return True
    member = member_of(team_of(period.id), user) if user.role == Role.REVIEWER else None
    return member is not None and member.role == TeamRole.KETUA


def candidates() -> list[User]:
    """The accounts that may join a team: active evaluators and administrators."""
    return list(db.session.scalars(sa.select(User).where(User.role.in_(STAFF), User.active).order_by(User.full_name)))


def assignments_by_unit(team: EvaluationTeam | None, unit_ids: Iterable[int]) -> dict[int, dict[str, int | None]]:
    """For each of the units, the member id per aspect code (WHOLE_UNIT included) as stored."""
    held: dict[int, dict[str, int | None]] = defaultdict(dict)
    if team is not None:
        query = sa.select(Assignment).where(Assignment.team_id == team.id, Assignment.unit_id.in_(list(unit_ids)))
        for assignment in db.session.scalars(query):
            held[assignment.unit_id][assignment.aspect_code] = assignment.member_id
    return held


def assigned_unit_ids(team: EvaluationTeam, member: TeamMember) -> sa.Select[int]:
    """The units of which the member holds a part (for "Tugas saya")."""
    return sa.select(Assignment.unit_id).where(Assignment.team_id == team.id, Assignment.member_id == member.id)


def own_team_for_queue(period: Period, user: User) -> tuple[EvaluationTeam | None, TeamMember | None]:
    """The period's team and the user's membership, if the user holds any assignment in it."""
    team = team_of(period.id)
    member = member_of(team, user)
    if member is None or team is None or not db.session.scalar(sa.select(sa.exists(assigned_unit_ids(team, member)))):
        return team, None
    return team, member


# Changing the team (the admin) and the assignments (the admin or the ketua); each change audited.

def team_for_change(period: Period) -> EvaluationTeam:
    team = team_of(period.id)
    if team is None:
        team = EvaluationTeam(period=period)
        db.session.add(team)
        db.session.flush()
    return team


def save_decree(period: Period, sk_number: str, sk_date: date | None, user: User) -> EvaluationTeam:
    team = team_for_change(period)
    if (team.sk_number, team.sk_date) != (sk_number, sk_date):
        audit.record("team.decree", user, old=_decree_text(team.sk_number, team.sk_date),
                     new=_decree_text(sk_number, sk_date), note=f"Periode {period.year}")
        team.sk_number, team.sk_date = sk_number, sk_date
    db.session.flush()
    return team


def _decree_text(number: str, day: date | None) -> str:
    return f"{number or '–'} ({day.isoformat() if day else 'tanpa tanggal'})"


def save_member(period: Period, account: User, role: TeamRole, jabatan: str, nip: str, user: User) -> TeamMember:
    """Add the account to the team or change its entry; one ketua per team."""
    if account.role not in STAFF or not account.active:
        raise ActionRefused("Anggota tim harus akun evaluator atau administrator yang aktif.")
    team = team_for_change(period)
    member = member_of(team, account)
    ketua = next((m for m in team.members if m.role == TeamRole.KETUA and m is not member), None)
    if role == TeamRole.KETUA and ketua is not None:
        raise ActionRefused(f"Tim sudah memiliki ketua ({ketua.user.full_name}). Jadikan dia anggota terlebih dahulu.")
    if member is None:
        member = TeamMember(team=team, user=account)
        db.session.add(member)
    before = _member_text(member) if member.id else None
    member.role, member.jabatan, member.nip = role, jabatan, nip
    audit.record("team.member", user, old=before, new=_member_text(member), note=f"Periode {period.year}")
    db.session.flush()
    return member


def _member_text(member: TeamMember) -> str:
    return f"{member.user.full_name}: {TEAM_ROLE_LABELS[member.role]}, {member.jabatan or '–'}, NIP {member.nip or '–'}"


def remove_member(period: Period, account_id: int, user: User) -> int:
    """Take the account out of the team; what it held becomes unassigned. Returns how many assignments that was."""
    team = team_of(period.id)
    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id,
                                                           TeamMember.user_id == account_id)) if team else None
    if member is None:
        raise ActionRefused("Akun tersebut bukan anggota tim periode ini.")
    assert team is not None, "a member was found, so the team exists"
    released = len(member.assignments)
    audit.record("team.member", user, old=_member_text(member), new=None,
                 note=f"Periode {period.year}; {released} penugasan dilepas")
    team.members.remove(member)
    db.session.flush()
    return released


def assign(period: Period, unit: Unit, aspect_code: str, member_id: int | None, user: User) -> None:
    """Give the unit (WHOLE_UNIT) or one of its aspects to a member of the team, or take it back (None)."""
    if aspect_code != WHOLE_UNIT and aspect_code not in {aspect.code for aspect in period.instrument.aspects}:
        raise ActionRefused("Aspek tersebut tidak ada dalam instrumen periode ini.")
    team = team_for_change(period)
    member = next((m for m in team.members if m.id == member_id), None) if member_id is not None else None
    if member_id is not None and member is None:
        raise ActionRefused("Pilih anggota dari tim periode ini.")
    current = unit_assignments(team, unit.id).get(aspect_code)
    if (current.member if current else None) is member:
        return
    audit.record("assignment.change", user, assessment=_assessment_of(period, unit),
                 old=current.member.user.full_name if current else None,
                 new=member.user.full_name if member else None,
                 note=f"{unit.short_name}, {_part_label(period.instrument, aspect_code)}")
    if member is None:
        assert current is not None, "taking back nothing returned above"
        team.assignments.remove(current)
    elif current is None:
        team.assignments.append(Assignment(unit=unit, aspect_code=aspect_code, member=member, assigned_by=user))
    else:
        current.member, current.assigned_by = member, user
    db.session.flush()


def _assessment_of(period: Period, unit: Unit) -> Assessment | None:
    return db.session.scalar(sa.select(Assessment).where(Assessment.period_id == period.id,
                                                         Assessment.unit_id == unit.id))


def _part_label(instrument: Instrument, aspect_code: str) -> str:
    return "seluruh unit" if aspect_code == WHOLE_UNIT else f"aspek {aspect_code.upper()} {instrument.aspect(aspect_code).name}"


# The progress of each member (the ketua's overview).

@dataclass
class MemberProgress:
    member: TeamMember
    units: set[int] = field(default_factory=set)
    indicators: int = 0  # held, over every unit
    decided: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # units per assessment status

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.indicators) if self.indicators else 0


def progress(team: EvaluationTeam) -> list[MemberProgress]:
    """Per member: the units they hold a part of, the indicators they hold and how many are decided.

    Read as plain rows: at 5,000 units the assignments, assessments and decided reviews as ORM objects cost ~0.3 s.
    """
    members = db.session.scalars(sa.select(TeamMember).where(TeamMember.team_id == team.id).order_by(TeamMember.id))
    rows = {member.id: MemberProgress(member) for member in members}
    by_unit: dict[int, dict[str, int]] = defaultdict(dict)  # unit -> aspect code (WHOLE_UNIT included) -> member id
    for unit_id, aspect_code, member_id in db.session.execute(
            sa.select(Assignment.unit_id, Assignment.aspect_code, Assignment.member_id).where(Assignment.team_id == team.id)):
        by_unit[unit_id][aspect_code] = member_id
    held_units = sa.select(Assignment.unit_id).where(Assignment.team_id == team.id)
    of_team = sa.and_(Assessment.period_id == team.period_id, Assessment.unit_id.in_(held_units))
    assessments = {unit_id: (assessment_id, status) for unit_id, assessment_id, status in db.session.execute(
        sa.select(Assessment.unit_id, Assessment.id, Assessment.status).where(of_team))}
    aspects = team.period.instrument.aspects
    # The decided indicators counted per assessment and aspect in the database (~6 rows an assessment, not ~30).
    aspect_of = sa.case({indicator.code: aspect.code for aspect in aspects for indicator in aspect.indicators},
                        value=Review.indicator_code)
    decisions = (sa.select(Review.assessment_id, aspect_of.label("aspect_code"))
                 .join(Assessment, Assessment.id == Review.assessment_id)
                 .where(of_team, Assessment.status != AssessmentStatus.DRAFT, Review.decision.is_not(None)).subquery())
    decided = {(assessment_id, aspect_code): count for assessment_id, aspect_code, count in db.session.execute(
        sa.select(decisions.c.assessment_id, decisions.c.aspect_code, sa.func.count())
        .group_by(decisions.c.assessment_id, decisions.c.aspect_code))}
    for unit_id, held in by_unit.items():
        assessment_id, status = assessments.get(unit_id, (None, None))
        for aspect in aspects:
            holder = held.get(aspect.code, held.get(WHOLE_UNIT))  # as holders() has it
            if holder is None:
                continue
            row = rows[holder]
            if unit_id not in row.units:
                row.units.add(unit_id)
                row.by_status[status.value if status else "belum"] += 1
            row.indicators += len(aspect.indicators)
            row.decided += decided.get((assessment_id, aspect.code), 0)
    return list(rows.values())
