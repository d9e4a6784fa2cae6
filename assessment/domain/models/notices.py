"""The e-mail outbox: every reminder and notice, queued in the transaction that caused it, sent with retries."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from .base import enum_column, utcnow
from .people import Unit, User


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its first or next attempt
    SENT = "sent"
    FAILED = "failed"  # given up: out of attempts, or the server refused the address for good


class NoticeKind(enum.StrEnum):
    REMINDER = "reminder"  # the deadline is near and the form is not submitted
    RETURNED = "returned"
    VERIFIED = "verified"


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # A reminder's identity (period, unit, person, day mark, deadline): the unique index is what keeps a second
    # `flask notify` run, or two at once, from queueing it again. Notices have none.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    unit: Mapped[Unit | None] = relationship()
