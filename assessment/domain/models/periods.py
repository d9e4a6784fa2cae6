"""Evaluation periods, the instrument each one uses, and per-unit deadline extensions."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..instrument import Instrument
from ..instrument.loader import parse_instrument_text
from .base import Model, utcnow
from .people import Unit, User

DEFAULT_BA_PATTERN = "700/{nomor}/BA-PEKPPP/Org/{tahun}"
DEFAULT_OBJECTION_DAYS = 7  # the "1 week" of the ministry's 2024 flow, proposed for every new period
# Days a unit has to follow up its recommendations, counted from the final result: a month for predikat B and
# below, three months for A- and A (a Pemda may set its own per period).
DEFAULT_FOLLOWUP_DAYS_B_AND_BELOW = 30
DEFAULT_FOLLOWUP_DAYS_ABOVE_B = 90


class InstrumentVersion(Model):
    """An imported instrument file, kept verbatim so a period always scores with its own year's rules."""

    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    definition: Mapped[str] = mapped_column(sa.Text)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def instrument(self) -> Instrument:
        return parse_instrument_text(self.definition)


class Period(Model):
    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"))
    opens_on: Mapped[date]
    deadline: Mapped[date]
    is_open: Mapped[bool] = mapped_column(default=True)
    # Submit is refused while an indicator above level 0 has no evidence; the admin may relax it per period.
    require_evidence: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Public surveys (assessment/surveys): a unit's F-03 is shown from this many respondents on, and its share
    # (percent) in the index combined with the IPP; 0 shows F-03 beside the IPP without combining them.
    survey_min_respondents: Mapped[int] = mapped_column(default=10, server_default="10")
    f03_share: Mapped[int] = mapped_column(default=0, server_default="0")
    # The verification window (masa sanggah) in days, counted in WIB: verifying first sends the unit a provisional
    # result it may object to for this many days. 0: verifying is final at once. The period form proposes 7 for new
    # periods; periods from before windows existed keep 0, so a year under way keeps its rules.
    objection_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # Follow-up of recommendations (domain/followup.py): days from the final result to the due date, by predikat.
    followup_days_b_and_below: Mapped[int] = mapped_column(default=DEFAULT_FOLLOWUP_DAYS_B_AND_BELOW,
                                                           server_default=str(DEFAULT_FOLLOWUP_DAYS_B_AND_BELOW))
    followup_days_above_b: Mapped[int] = mapped_column(default=DEFAULT_FOLLOWUP_DAYS_ABOVE_B,
                                                       server_default=str(DEFAULT_FOLLOWUP_DAYS_ABOVE_B))
    # Printed documents: the pattern of the Berita Acara's Nomor ({nomor}, {bulan}, {tahun}; formatting.py), the
    # last number given (taken by one UPDATE, reports/numbering.py), and the Nomor of the recap and of the meeting
    # pack's cover letter as the outgoing-mail register gives them (empty: a line to fill in by hand).
    ba_number_pattern: Mapped[str] = mapped_column(sa.String(120), default=DEFAULT_BA_PATTERN,
                                                   server_default=DEFAULT_BA_PATTERN)
    ba_last_number: Mapped[int] = mapped_column(default=0, server_default="0")
    recap_number: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    pack_number: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    instrument_version: Mapped[InstrumentVersion] = relationship()
    extensions: Mapped[list[DeadlineExtension]] = relationship(back_populates="period")

    @property
    def instrument(self) -> Instrument:
        return self.instrument_version.instrument

    def deadline_for(self, unit_id: int) -> date:
        """The unit's own deadline: the period's, or a later one the admin granted."""
        granted = [e.new_deadline for e in self.extensions if e.unit_id == unit_id]
        return max([self.deadline, *granted])


class DeadlineExtension(Model):
    __tablename__ = "deadline_extensions"
    __table_args__ = (sa.UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    new_deadline: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[Period] = relationship(back_populates="extensions")
    unit: Mapped[Unit] = relationship()
    granted_by: Mapped[User] = relationship()
