"""A unit's assessment for one period: its answers, submissions and the reviewer's decisions."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from ..instrument import Instrument
from ..scoring import Score
from .base import Model, enum_column, utcnow
from .evidence import EvidenceFile
from .people import Unit, User
from .periods import Period


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PROVISIONAL = "provisional"  # hasil sementara: sent to the unit, in its verification window (masa sanggah)
    VERIFIED = "verified"


class ReviewDecision(enum.StrEnum):
    AGREE = "agree"    # sesuai: the OPD's level stands
    CHANGE = "change"  # the reviewer sets another level, with a note


class Assessment(Model):
    __tablename__ = "assessments"
    __table_args__ = (sa.UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    status: Mapped[AssessmentStatus] = mapped_column(enum_column(AssessmentStatus), default=AssessmentStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    returned_reason: Mapped[str | None] = mapped_column(sa.Text)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The scores as of the last commit, kept by assessment/domain/stored_scores.py (registered by the app factory)
    # so that lists of thousands of units (queue, results, recap, Excel) filter, sort and print them without
    # loading answers; the two IPP columns are sort keys. Pages and PDFs of one assessment, which have its answers
    # loaded anyway, score them with the same scoring.score: both give the same Score (tests/test_scoring.py).
    scores: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    answered_count: Mapped[int] = mapped_column(default=0, server_default="0")
    self_ipp: Mapped[Decimal] = mapped_column(sa.Numeric(12, 8), default=0, server_default="0")
    verified_ipp: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 8))  # only while verified

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    verified_by: Mapped[User | None] = relationship()
    answers: Mapped[dict[str, Answer]] = relationship(
        collection_class=attribute_keyed_dict("indicator_code"),
        cascade="all, delete-orphan",
        back_populates="assessment",
    )
    reviews: Mapped[dict[str, Review]] = relationship(
        collection_class=attribute_keyed_dict("indicator_code"),
        cascade="all, delete-orphan",
        back_populates="assessment",
    )
    submissions: Mapped[list[Submission]] = relationship(
        order_by="Submission.number", cascade="all, delete-orphan", back_populates="assessment"
    )
    # The form's own bukti dukung; files of objections, follow-ups and field visits share the table, not the list.
    evidence: Mapped[list[EvidenceFile]] = relationship(
        primaryjoin="and_(EvidenceFile.assessment_id == Assessment.id, EvidenceFile.attached_to == 'form')",
        order_by="EvidenceFile.id")

    @property
    def instrument(self) -> Instrument:
        return self.period.instrument

    def levels(self) -> dict[str, int | None]:
        """The self-assessed levels."""
        return {code: answer.level for code, answer in self.answers.items()}

    def verified_levels(self) -> dict[str, int | None]:
        return verified_levels_from(
            self.levels(), ((code, r.decision, r.verified_level) for code, r in self.reviews.items())
        )

    def stored_self_score(self) -> Score | None:
        """The self-assessed score as of the last commit (None only before the assessment's first commit)."""
        return stored_score(self.scores, "self")

    def stored_verified_score(self) -> Score | None:
        """The verified score as of the last commit; None unless verified."""
        return stored_score(self.scores, "verified")


def stored_score(scores: Mapping[str, Any] | None, which: str) -> Score | None:
    """One score ("self" or "verified") out of an assessment's ``scores`` column, read as plain data."""
    return Score.from_json(scores[which]) if scores and scores[which] else None


def verified_levels_from(
    levels: Mapping[str, int | None], decisions: Iterable[tuple[str, ReviewDecision | None, int | None]]
) -> dict[str, int | None]:
    """The levels after review: the OPD's where the reviewer agreed, the reviewer's where not.

    ``decisions`` holds (indicator code, decision, the reviewer's level); an indicator without a
    decision has no verified level yet.
    """
    result: dict[str, int | None] = {}
    for code, decision, reviewer_level in decisions:
        if decision == ReviewDecision.AGREE:
            result[code] = levels.get(code)
        elif decision == ReviewDecision.CHANGE:
            result[code] = reviewer_level
    return result


class Answer(Model):
    """One indicator's self-assessed level and justification; kept even while the level is unset."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_code"),
        sa.CheckConstraint("level BETWEEN 0 AND 5", name="answer_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"))
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    level: Mapped[int | None]
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    # The F-01 fact answers (assessment/domain/fact_answers.py, stored form) on an instrument with facts; the level is
    # then the one the rule gives them, stored above so that scores and documents read it as before.
    facts: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped on every change; a save based on an older version is refused (two tabs, two people).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The idempotency key of the save that made this version: a retried save whose reply was lost carries the
    # same key and is recognised as the user's own instead of as someone else's change.
    save_key: Mapped[str | None] = mapped_column(sa.String(32))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)


class Submission(Model):
    """A frozen copy of the answers at each submission, so a reviewer sees what changed after a return."""

    __tablename__ = "submissions"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"))
    number: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # {indicator code: {"level": int | None, "justification": str, "evidence": [...], "facts": {...} (with facts)}}
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    assessment: Mapped[Assessment] = relationship(back_populates="submissions")
    submitted_by: Mapped[User | None] = relationship()


class Review(Model):
    """The reviewer's decision on one indicator; no row (or no decision) means not reviewed yet."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_code"),
        sa.CheckConstraint("verified_level BETWEEN 0 AND 5", name="review_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"))
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    decision: Mapped[ReviewDecision | None] = mapped_column(enum_column(ReviewDecision))
    verified_level: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # On an instrument with facts: the reviewer's word on each fact (fact_answers.read_confirmations' JSON), from
    # which the verified level follows by the rule, unless the reviewer set the level directly (``level_set``).
    fact_checks: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    level_set: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    save_key: Mapped[str | None] = mapped_column(sa.String(32))  # as Answer.save_key

    assessment: Mapped[Assessment] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)


class FollowUpState(enum.StrEnum):
    OPEN = "open"                # nothing reported yet
    REPORTED = "reported"        # the unit reported progress; the reviewer has yet to look
    ACCEPTED = "accepted"        # the reviewer accepted the follow-up: done
    ASKED_AGAIN = "asked_again"  # the reviewer asked for more; the unit reports again


class FollowUpStep(enum.StrEnum):
    REPORT = "report"        # the unit's progress report
    ACCEPT = "accept"        # the reviewer accepts it
    ASK_AGAIN = "ask_again"  # the reviewer asks for more, saying what


class Recommendation(Model):
    """An improvement the Bagian Organisasi asks of the unit; generated at verification, then edited."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    indicator_code: Mapped[str | None] = mapped_column(sa.String(30))
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Follow-up (tindak lanjut, domain/followup.py): the date the unit must have reported it done by (WIB), set when
    # the result becomes final from the period's days for its predikat, and where the follow-up stands. "Late" is
    # not stored: it is an open or asked-again state once the due date has passed.
    due_on: Mapped[date | None]
    followup_state: Mapped[FollowUpState] = mapped_column(enum_column(FollowUpState), default=FollowUpState.OPEN,
                                                          server_default=FollowUpState.OPEN.value)

    assessment: Mapped[Assessment] = relationship()
    created_by: Mapped[User | None] = relationship()
    followups: Mapped[list[FollowUpEntry]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="FollowUpEntry.id")


class FollowUpEntry(Model):
    """One step of a recommendation's follow-up: the unit's report (with files) or the reviewer's answer."""

    __tablename__ = "followup_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"), index=True)
    step: Mapped[FollowUpStep] = mapped_column(enum_column(FollowUpStep))
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="followups")
    author: Mapped[User | None] = relationship()
