"""The public surveys of a unit in a period: the unit's settings and every response (SKM and F-03 together)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from .base import enum_column, utcnow
from .people import User

SKM_COLUMNS = tuple(f"u{number}" for number in range(1, 10))
F03_COLUMNS = tuple(f"f{number}" for number in range(1, 15))  # the luring form's 14; the daring form uses 11


class Channel(enum.StrEnum):
    ONLINE = "online"  # the public form
    PAPER = "paper"  # a paper questionnaire typed in by an operator of the unit


class SurveySettings(db.Model):
    """What the unit sets for its survey of one period; without a row the defaults hold."""

    __tablename__ = "survey_settings"
    __table_args__ = (sa.UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    f03_form: Mapped[str] = mapped_column(sa.String(10), default="luring")
    population: Mapped[int | None]  # service users in the survey period, for the regulation's sample size
    service_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    follow_up_plan: Mapped[str] = mapped_column(sa.Text, default="")  # rencana tindak lanjut, written by the OPD
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class SurveyResponse(db.Model):
    """One respondent's answers. Never changed after it is stored (no page edits or deletes one)."""

    __tablename__ = "survey_responses"
    __table_args__ = (sa.Index("ix_survey_responses_period_unit", "period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # the operator, for paper
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_on: Mapped[date]  # the day of the answers (for paper: the date written on the questionnaire)
    # The public form's one-time token: a form sent twice (a double tap, a retry) is stored once.
    form_nonce: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    f03_form: Mapped[str] = mapped_column(sa.String(10))
    u1: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u2: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u3: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u4: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u5: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u6: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u7: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u8: Mapped[int | None] = mapped_column(sa.SmallInteger)
    u9: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f1: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f2: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f3: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f4: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f5: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f6: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f7: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f8: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f9: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f10: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f11: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f12: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f13: Mapped[int | None] = mapped_column(sa.SmallInteger)
    f14: Mapped[int | None] = mapped_column(sa.SmallInteger)
    age: Mapped[int | None] = mapped_column(sa.SmallInteger)
    gender: Mapped[str | None] = mapped_column(sa.String(1))
    education: Mapped[str | None] = mapped_column(sa.String(10))
    occupation: Mapped[str | None] = mapped_column(sa.String(20))
    service_type: Mapped[str | None] = mapped_column(sa.String(120))
    suggestion: Mapped[str | None] = mapped_column(sa.Text)

    entered_by: Mapped[User | None] = relationship()

    def skm_answers(self) -> list[int | None]:
        return [getattr(self, column) for column in SKM_COLUMNS]

    def f03_answers(self, count: int) -> list[int | None]:
        return [getattr(self, column) for column in F03_COLUMNS[:count]]

    @staticmethod
    def answer_columns(skm: list[int | None], f03: list[int | None]) -> dict[str, Any]:
        """The column values for answers given in form order (the F-03 list may be shorter than 14)."""
        return dict(zip(SKM_COLUMNS, skm, strict=True)) | dict(zip(F03_COLUMNS, f03, strict=False))
