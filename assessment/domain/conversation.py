"""The short conversation on a returned form: on each indicator the reviewer noted, the unit answers the note and
the reviewer may reply, so a misunderstanding is settled before the form comes back.

The unit writes while its form is returned (that is when it reads the notes and corrects); the reviewer who
decides the indicator (domain/team.py) writes while the form is returned or back under review.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from ..extensions import db
from . import audit, team
from .lifecycle import ActionRefused
from .models import Assessment, AssessmentStatus, NoteMessage, Review, Role, User

MESSAGE_MAX = 1000


def threads(assessment: Assessment) -> dict[str, list[NoteMessage]]:
    """The messages on each noted indicator, oldest first."""
    result: dict[str, list[NoteMessage]] = defaultdict(list)
    if assessment.id is not None:
        query = sa.select(NoteMessage).where(NoteMessage.assessment_id == assessment.id).order_by(NoteMessage.id)
        for message in db.session.scalars(query):
            result[message.indicator_code].append(message)
    return result


def noted_codes(assessment: Assessment) -> list[str]:
    """The indicators with a reviewer's note, or with a fact the reviewer found not borne out (whose note is the
    fact's own), in the instrument's order."""
    return [i.code for i in assessment.instrument.indicators
            if (review := assessment.reviews.get(i.code)) is not None and (review.note or facts_not_borne_out(review))]


def facts_not_borne_out(review: Review) -> dict[str, str]:
    """The facts a reviewer found not borne out by the evidence, each with its note."""
    return {key: str(check.get("note", "")) for key, check in (review.fact_checks or {}).items()
            if isinstance(check, dict) and check.get("confirmed") is False}


def may_write(assessment: Assessment, code: str, user: User) -> bool:
    if code not in noted_codes(assessment):
        return False
    if user.role == Role.OPD:
        return assessment.unit_id == user.unit_id and assessment.status == AssessmentStatus.RETURNED
    return (assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED)
            and code in team.duties(assessment, user).codes)


def post(assessment: Assessment, code: str, text: str, user: User) -> NoteMessage:
    """Add one message to the conversation on the indicator's note; refused unchanged otherwise."""
    text = (text or "").replace("\r\n", "\n").strip()
    if code not in noted_codes(assessment):
        raise ActionRefused("Indikator ini tidak memiliki catatan evaluator untuk ditanggapi.")
    if not may_write(assessment, code, user):
        raise ActionRefused("Percakapan hanya dapat diisi unit selama formulir dikembalikan, dan oleh evaluator "
                            "yang memeriksa indikator ini selama formulir dikembalikan atau diperiksa.")
    if not text:
        raise ActionRefused("Tulis tanggapan terlebih dahulu.")
    if len(text) > MESSAGE_MAX:
        raise ActionRefused(f"Tanggapan paling banyak {MESSAGE_MAX} karakter (sekarang {len(text)}).")
    message = NoteMessage(assessment_id=assessment.id, indicator_code=code, author=user, text=text)
    db.session.add(message)
    audit.record("note.message", user, assessment=assessment, indicator_code=code, new=text)
    db.session.flush()
    return message
