"""Authorisation rules, one helper per rule, so views never decide access themselves."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from ..domain import team
from ..domain.lifecycle import TRANSITIONS, allowed
from ..domain.locks import assessment_for_change
from ..domain.models import (
    Assessment,
    AssessmentStatus,
    AttachedTo,
    EvidenceFile,
    Objection,
    Period,
    Recommendation,
    Role,
    Unit,
)
from ..domain.periods import period_by_year_or_current
from ..extensions import db

STAFF_ROLES = (Role.REVIEWER, Role.ADMIN)


def role_required(*roles: Role) -> Callable:
    """Only logged-in users holding one of ``roles`` reach the view; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_assessment_or_404(assessment_id: int, *, for_change: bool = False, for_save: bool = False) -> Assessment:
    """Fetch an assessment the current user may read: its own unit's (OPD) or any (staff).

    Another unit's assessment answers 404, not 403, so an OPD cannot even learn
    which ids exist. Locked for a request that moves it along its life cycle (``for_change``) or saves
    answers or reviews (``for_save``): see locks.py.
    """
    if for_change or for_save:
        assessment = assessment_for_change(assessment_id, transition=for_change)
    else:
        assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    if current_user.role == Role.OPD and assessment.unit_id != current_user.unit_id:
        abort(404)
    return assessment


def get_evidence_or_404(evidence_id: int) -> EvidenceFile:
    """A file the current user may open: by the same rule as its assessment, except a field visit's photos, which are
    the evaluators' record and not shown to the unit (404, as for what it may not see)."""
    evidence = db.get_or_404(EvidenceFile, evidence_id)
    get_assessment_or_404(evidence.assessment_id)
    if evidence.attached_to == AttachedTo.VISIT and current_user.role not in STAFF_ROLES:
        abort(404)
    return evidence


def get_own_assessment_or_404(assessment_id: int, *, for_change: bool = False) -> Assessment:
    """Like ``get_assessment_or_404`` but only for the OPD that owns it (who may change it)."""
    assessment = get_assessment_or_404(assessment_id, for_change=for_change)
    if current_user.role != Role.OPD:
        abort(403)
    return assessment


def get_review_or_404(assessment_id: int, *, for_change: bool = False, for_save: bool = False) -> Assessment:
    """An assessment on which the current reviewer decides at least one indicator: what the evaluator team assigned
    to them, or everything while the period has no team in force (domain/team.py). 403 for one who only reads it."""
    assessment = get_assessment_or_404(assessment_id, for_change=for_change, for_save=for_save)
    if not team.duties(assessment, current_user).codes:
        abort(403)
    return assessment


def get_conclusion_or_404(assessment_id: int, *, for_change: bool = False) -> Assessment:
    """An assessment the current reviewer may return, verify and write the recommendations of: the team's ketua,
    the member holding the whole unit, the admin (or any reviewer while no team is in force)."""
    assessment = get_assessment_or_404(assessment_id, for_change=for_change)
    if not team.duties(assessment, current_user).conclude:
        abort(403)
    return assessment


def records_visit(assessment: Assessment) -> bool:
    """Whether the current user may record the unit's field visit: who decides a part of it or concludes it (the
    members holding the unit, the ketua, the admin; any reviewer while no team is in force)."""
    duties = team.duties(assessment, current_user)
    return bool(duties.codes) or duties.conclude


def get_visit_to_record_or_404(assessment_id: int) -> Assessment:
    """An assessment whose field visit the current reviewer may record (``records_visit``), locked; 403 else."""
    assessment = get_assessment_or_404(assessment_id, for_change=True)
    if not records_visit(assessment):
        abort(403)
    return assessment


def get_recommendation_or_404(recommendation_id: int) -> Recommendation:
    """A recommendation the current reviewer may change: one of an assessment they conclude."""
    recommendation = db.get_or_404(Recommendation, recommendation_id)
    get_conclusion_or_404(recommendation.assessment_id)
    return recommendation


def get_followup_to_report_or_404(recommendation_id: int) -> Recommendation:
    """A recommendation whose follow-up the current OPD account may report: one given to its own unit (404 for
    another unit's, 403 for staff)."""
    recommendation = db.get_or_404(Recommendation, recommendation_id)
    get_own_assessment_or_404(recommendation.assessment_id)
    return recommendation


def concludes(assessment: Assessment) -> bool:
    """Whether the current user concludes this assessment: returns and verifies it, writes its recommendations and
    answers their follow-up (domain/team.py)."""
    return current_user.is_authenticated and team.duties(assessment, current_user).conclude


def get_objection_to_answer_or_404(objection_id: int) -> Objection:
    """An objection the current reviewer may answer: one on an indicator they decide (domain/team.py)."""
    objection = db.get_or_404(Objection, objection_id)
    assessment = get_assessment_or_404(objection.window.assessment_id, for_change=True)
    if objection.indicator_code not in team.duties(assessment, current_user).codes:
        abort(403)
    return objection


def get_period_to_assign_or_404(year: int) -> Period:
    """The period whose assignments the current user may change: the admin's, or the ketua's of its team."""
    period = db.session.scalar(sa.select(Period).where(Period.year == year)) if 0 < year < 10_000 else None
    if period is None:
        abort(404)
    if not team.may_reassign(period, current_user):
        abort(403)
    return period


def review_finished(assessment: Assessment) -> bool:
    """Returned for revision, sent as hasil sementara or verified: the reviewer's decisions, notes and levels are then
    the unit's to read."""
    return assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.PROVISIONAL, AssessmentStatus.VERIFIED)


def sees_reviewer_work(assessment: Assessment) -> bool:
    """Whether the current user may see the reviewer's work on this assessment: staff always, the OPD only once
    the review is finished, never while it is under way (a half-done review is no answer yet)."""
    return current_user.role in STAFF_ROLES or review_finished(assessment)


def get_visible_unit_or_404(unit_id: int) -> Unit:
    """A unit whose results and surveys the current user may read: its own (OPD) or any (staff).

    Another unit answers 404, not 403, as for assessments, so an OPD cannot learn which ids exist.
    """
    unit = db.get_or_404(Unit, unit_id)
    if current_user.role == Role.OPD and unit.id != current_user.unit_id:
        abort(404)
    return unit


def get_own_unit_or_404(unit_id: int) -> Unit:
    """Like ``get_visible_unit_or_404`` but only for the unit's own OPD (who runs its survey, say)."""
    unit = get_visible_unit_or_404(unit_id)
    if current_user.role != Role.OPD:
        abort(403)
    return unit


def is_unit_member() -> bool:
    """Whether the current user works for a unit (an OPD account) rather than for the Bagian Organisasi."""
    return current_user.is_authenticated and current_user.role == Role.OPD


def own_unit_or_404() -> Unit:
    """The current OPD account's own unit; a 404 for staff and for an account without a unit."""
    if not is_unit_member() or current_user.unit is None:
        abort(404)
    return current_user.unit


def period_of_year_or_404(year: int) -> Period:
    """The period a URL's year names; a 404 for a year without one (or out of range, never a database error)."""
    period = period_by_year_or_current(year)
    if period is None:
        abort(404)
    return period


# What each role opens, by name, for templates: they ask ``may('administer')`` and never compare role names.
ROLE_PERMISSIONS = {
    "fill_forms": frozenset({Role.OPD}),
    "see_all_units": frozenset(STAFF_ROLES),
    "administer": frozenset({Role.ADMIN}),
}


def may(permission: str) -> bool:
    """Whether the current user's role opens ``permission`` (a key of ROLE_PERMISSIONS)."""
    return current_user.is_authenticated and current_user.role in ROLE_PERMISSIONS[permission]


def form_state(assessment: Assessment) -> dict[str, Any]:
    """Where an assessment stands and what the current user may do with it, for templates (which never compare
    statuses): the states pages show, and under ``can`` each of the life cycle's transitions (``can.verify``)."""
    status = assessment.status
    return {
        "unsent": status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),  # the deadline is the unit's to meet
        "sent": status != AssessmentStatus.DRAFT,  # sent at least once: the reviewer has something to open
        "submitted": status == AssessmentStatus.SUBMITTED,
        "returned": status == AssessmentStatus.RETURNED,
        "provisional": status == AssessmentStatus.PROVISIONAL,
        "verified": status == AssessmentStatus.VERIFIED,
        "can": {name: current_user.is_authenticated and allowed(assessment, name, current_user) for name in TRANSITIONS},
    }
