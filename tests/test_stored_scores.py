"""Each assessment's stored scores equal what the scoring module computes from its answers, after every kind of change."""
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from assessment.domain.lifecycle import apply_transition
from assessment.domain.models import Answer, Assessment, AssessmentStatus
from assessment.domain.scoring import score
from assessment.domain.stored_scores import rescore
from assessment.extensions import db
from tests.factories import INSTRUMENT, fill, mark_verified


def stored_equals_computed(assessment: Assessment) -> None:
    db.session.expire_all()
    self_score = score(INSTRUMENT, assessment.levels())
    assert assessment.stored_self_score() == self_score
    assert (assessment.answered_count, assessment.self_ipp) == (self_score.answered, self_score.ipp)
    if assessment.status == AssessmentStatus.VERIFIED:
        verified = score(INSTRUMENT, assessment.verified_levels())
        assert assessment.stored_verified_score() == verified and assessment.verified_ipp == verified.ipp
    else:
        assert assessment.stored_verified_score() is None and assessment.verified_ipp is None


def test_a_new_assessment_is_stored_with_nothing_answered(world):
    stored = world.assessment.stored_self_score()
    assert (stored.answered, stored.ipp, world.assessment.self_ipp) == (0, 0, 0)
    stored_equals_computed(world.assessment)


def test_scores_follow_answers_reviews_and_status_through_the_year(world):
    assessment = world.assessment
    fill(assessment, world.opd, level_of=lambda indicator: 3, codes={"1.a.Ak", "2.a.P"})
    db.session.commit()
    stored_equals_computed(assessment)
    assert assessment.answered_count == 2

    fill(assessment, world.opd, level_of=lambda indicator: indicator.number % 6)
    db.session.commit()
    stored_equals_computed(assessment)

    mark_verified(assessment, world.reviewer, {"29.f.B": 0, "1.a.Ak": 5})
    db.session.commit()
    stored_equals_computed(assessment)
    assert assessment.stored_verified_score() is not None

    apply_transition(assessment, "reopen", world.admin, reason="Dibuka kembali untuk perbaikan data.")
    db.session.commit()
    stored_equals_computed(assessment)  # no longer verified: no verified score


def test_a_change_rolled_back_leaves_the_stored_scores_alone(world):
    fill(world.assessment, world.opd, level_of=lambda indicator: 4)
    db.session.commit()
    before = world.assessment.stored_self_score()
    world.assessment.answers["1.a.Ak"].level = 0
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert world.assessment.stored_self_score() == before
    stored_equals_computed(world.assessment)


def test_rescore_fills_rows_written_without_the_orm(world):
    """As the migration and the scale benchmark do: answers inserted with core SQL, then rescore()."""
    db.session.execute(sa.insert(Answer.__table__), [
        {"assessment_id": world.assessment.id, "indicator_code": indicator.code, "level": 2, "justification": "",
         "updated_at": world.assessment.created_at, "version": 1}
        for indicator in INSTRUMENT.indicators
    ])
    db.session.commit()
    assert world.assessment.stored_self_score().answered == 0  # core SQL passes by the session's bookkeeping
    assert rescore(db.session, sa.true()) == 2
    db.session.commit()
    stored_equals_computed(world.assessment)
    assert world.assessment.answered_count == len(INSTRUMENT.indicators)


@pytest.mark.requires_postgres
def test_saves_of_different_indicators_at_the_same_moment_are_all_counted(world):
    """Ten transactions each answer one indicator and commit together; the row lock makes each read the others'."""
    codes = [indicator.code for indicator in INSTRUMENT.indicators[:10]]
    assessment_id, engine = world.assessment.id, db.engine
    db.session.commit()
    barrier = threading.Barrier(len(codes))
    failures = []

    def save(code: str) -> None:
        try:
            with Session(engine) as session:
                session.add(Answer(assessment_id=assessment_id, indicator_code=code, level=5, justification=""))
                session.flush()
                barrier.wait(timeout=20)  # every transaction has written; now all commit at once
                session.commit()
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=save, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    stored_equals_computed(world.assessment)
    assert world.assessment.answered_count == len(codes)
