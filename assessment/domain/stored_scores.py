"""Every assessment row carries its own scores, refreshed in the transaction that changes them.

The reviewers' queue, the results, the recap and the Excel export list thousands of units;
scoring each one from its 30 answers and reviews on every request grew with the number of
units (9 s for 5,000). So each assessment keeps its self-assessed and verified Score as the
scoring module computed them (never SQL arithmetic), plus two sort keys and the number of
answered indicators.

Nobody has to remember to refresh them: the session notes every flushed change to an answer,
a review or an assessment's status, and just before commit the noted assessments are scored
again from what is in the database. Their rows are locked first (SELECT ... FOR NO KEY UPDATE on
PostgreSQL; SQLite lets one writer in at a time), so two tabs saving different indicators of
one assessment at the same moment both end up counted: the second waits, then reads the
first one's answers.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from .instrument import Instrument
from .instrument.loader import parse_instrument_text
from .models import Answer, Assessment, AssessmentStatus, InstrumentVersion, Period, Review
from .models.assessments import verified_levels_from
from .scoring import score

_NOTED = "assessments_to_rescore"
SCORE_COLUMNS = ("scores", "answered_count", "self_ipp", "verified_ipp")


def score_values(instrument: Instrument, levels: dict[str, int | None], decisions: list[tuple],
                 status: AssessmentStatus) -> dict[str, Any]:
    """The stored columns for one assessment; ``decisions`` as for verified_levels_from."""
    self_score = score(instrument, levels)
    verified = score(instrument, verified_levels_from(levels, decisions)) if status == AssessmentStatus.VERIFIED else None
    return {
        "scores": {"self": self_score.as_json(), "verified": verified.as_json() if verified else None},
        "answered_count": self_score.answered,
        "self_ipp": self_score.ipp,
        "verified_ipp": verified.ipp if verified else None,
    }


def rescore(session: Session, which: sa.ColumnElement[bool], *, lock: bool = False) -> int:
    """Score again every assessment matching ``which`` in four reads and one batched write; returns how many.

    ``lock``: the first read locks the rows, in id order, so two transactions never wait on each other in a
    circle. NO KEY UPDATE (key_share): inserting an answer holds a key-share lock on its assessment, which a
    plain FOR UPDATE would wait for. Also used alone, without the lock, to fill the columns of rows written
    without the ORM (a migration, a benchmark).
    """
    heads_query = (sa.select(Assessment.id, Assessment.status, Assessment.updated_at, Period.instrument_id)
                   .join(Period, Period.id == Assessment.period_id).where(which).order_by(Assessment.id))
    if lock:
        heads_query = heads_query.with_for_update(key_share=True, of=Assessment)
    heads = session.execute(heads_query).all()
    if not heads:
        return 0
    # Each instrument's text (~35 KB) once, not once per assessment.
    definitions = dict(session.execute(sa.select(InstrumentVersion.id, InstrumentVersion.definition)
                                       .where(InstrumentVersion.id.in_({head.instrument_id for head in heads}))).all())
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for assessment_id, code, level in session.execute(
        sa.select(Answer.assessment_id, Answer.indicator_code, Answer.level).join(Assessment).where(which)
    ):
        levels[assessment_id][code] = level
    decisions: dict[int, list[tuple]] = defaultdict(list)
    for assessment_id, *decision in session.execute(
        sa.select(Review.assessment_id, Review.indicator_code, Review.decision, Review.verified_level)
        .join(Assessment).where(which)
    ):
        decisions[assessment_id].append(tuple(decision))
    rows = [
        # updated_at is passed back unchanged: scoring again is not a change by anyone
        {"id": head.id, "updated_at": head.updated_at,
         **score_values(parse_instrument_text(definitions[head.instrument_id]), levels[head.id], decisions[head.id],
                        head.status)}
        for head in heads
    ]
    session.execute(sa.update(Assessment), rows)  # ORM bulk UPDATE by primary key: one executemany
    return len(rows)


def note_for_rescoring(session: Session, assessment_ids: set[int]) -> None:
    session.info.setdefault(_NOTED, set()).update(assessment_ids)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    noted = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Answer | Review):
            noted.add(instance.assessment_id)
        elif isinstance(instance, Assessment) and (
            instance in session.new or attributes.get_history(instance, "status").has_changes()
        ):
            noted.add(instance.id)
    if noted:
        note_for_rescoring(session, noted)


@event.listens_for(Session, "before_commit")
def _rescore_noted(session: Session) -> None:
    session.flush()  # what this transaction changed must be in the database (and noted) before it is read back
    noted = sorted(session.info.pop(_NOTED, ()))
    if not noted:
        return
    rescore(session, Assessment.id.in_(noted), lock=True)
    for assessment_id in noted:
        instance = session.identity_map.get(session.identity_key(Assessment, assessment_id))
        if instance is not None:
            session.expire(instance, SCORE_COLUMNS)


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)
