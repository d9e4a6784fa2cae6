"""Authorisation rules, one helper per rule, so views never decide access themselves."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..domain.locks import assessment_for_change
from ..domain.models import Assessment, AssessmentStatus, Role, Unit
from ..extensions import db

STAFF_ROLES = (Role.REVIEWER, Role.ADMIN)
ROLE_LABELS = {Role.OPD: "Kepala OPD / operator", Role.REVIEWER: "Evaluator", Role.ADMIN: "Administrator"}


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


def get_own_assessment_or_404(assessment_id: int, *, for_change: bool = False) -> Assessment:
    """Like ``get_assessment_or_404`` but only for the OPD that owns it (who may change it)."""
    assessment = get_assessment_or_404(assessment_id, for_change=for_change)
    if current_user.role != Role.OPD:
        abort(403)
    return assessment


def review_finished(assessment: Assessment) -> bool:
    """Returned for revision or verified: the reviewer's decisions, notes and levels are then the unit's to read."""
    return assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.VERIFIED)


def sees_reviewer_work(assessment: Assessment) -> bool:
    """Whether the current user may see the reviewer's work on this assessment: staff always, the OPD only once
    the review is finished, never while it is under way (a half-done review is no answer yet)."""
    return current_user.role in STAFF_ROLES or review_finished(assessment)


def get_visible_unit_or_404(unit_id: int) -> Unit:
    """The unit whose survey results the current user may read: its own (OPD) or any (staff); 404 otherwise."""
    unit = db.get_or_404(Unit, unit_id)
    if current_user.role == Role.OPD and unit.id != current_user.unit_id:
        abort(404)
    return unit


def get_own_unit_or_404(unit_id: int) -> Unit:
    """Like ``get_visible_unit_or_404`` but only for the unit's own OPD, who runs the survey (settings, paper
    questionnaires, follow-up plan, attaching the report)."""
    unit = get_visible_unit_or_404(unit_id)
    if current_user.role != Role.OPD:
        abort(403)
    return unit
