"""The outbox: messages are queued in the transaction that causes them and sent later, with retries.

Sending claims a message first (one UPDATE that only succeeds while it is still due), so two rounds running at
once (cron and RQ, or two cron runs) never send the same message twice. A claim is a lease: if the process dies
mid-send the message is due again after LEASE, counted as an attempt.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.models import NoticeKind, OutboxMessage, OutboxStatus, User, utcnow
from ..extensions import db
from .mail import SmtpConnection, email_message

# After the first failed attempt, wait this long before each next one; after the last, the message has failed.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE = timedelta(minutes=15)
BATCH = 500  # messages per round; the rest wait for the next one
ERROR_MAX_LENGTH = 500
INSERT_IGNORING_DUPLICATES = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass
class Tally:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def queue_message(session: Session, user: User, kind: NoticeKind, subject: str, body: str, *, unit_id: int | None,
                  dedupe_key: str | None = None) -> bool:
    """Add one message for ``user`` to the caller's transaction; False (and nothing added) if its key is stored."""
    values = dict(kind=kind, user_id=user.id, unit_id=unit_id, to_address=user.email, subject=subject, body=body,
                  dedupe_key=dedupe_key)
    if dedupe_key is None:
        session.add(OutboxMessage(**values))
        return True
    # INSERT … ON CONFLICT DO NOTHING: a second run, or one at the same moment, that meets the stored key adds nothing.
    insert = INSERT_IGNORING_DUPLICATES[session.get_bind().dialect.name](OutboxMessage)
    now = utcnow()
    inserted = session.execute(insert.values(**values, status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now,
                                             created_at=now).on_conflict_do_nothing(index_elements=["dedupe_key"])
                               .returning(OutboxMessage.id))
    return inserted.scalar() is not None


def send_due(now: datetime) -> Tally:
    """Send every queued message whose time has come (at most BATCH), committing after each one."""
    tally = Tally()
    due = db.session.scalars(sa.select(OutboxMessage.id).where(*_is_due(now)).order_by(OutboxMessage.id).limit(BATCH))
    with SmtpConnection(current_app.config) as connection:
        for message_id in due.all():
            if _claim(message_id, now):
                _attempt(db.session.get(OutboxMessage, message_id), connection, now, tally)
                db.session.commit()
    return tally


def _is_due(now: datetime) -> tuple:
    return OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message_id, *_is_due(now))
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def _attempt(message: OutboxMessage, connection: SmtpConnection, now: datetime, tally: Tally) -> None:
    try:
        connection.send(email_message(current_app.config, message.to_address, message.subject, message.body))
    except (smtplib.SMTPException, OSError) as error:
        message.last_error = _describe(error)[:ERROR_MAX_LENGTH]
        if message.attempts >= MAX_ATTEMPTS or _refused_for_good(error):
            message.status = OutboxStatus.FAILED
            tally.failed += 1
        else:
            message.next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
            tally.retrying += 1
        current_app.logger.warning("E-mail %s to %s, attempt %s: %s", message.id, message.to_address,
                                   message.attempts, message.last_error)
    else:
        message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, None
        tally.sent += 1


def _refused_for_good(error: Exception) -> bool:
    """The server refused the address itself with a permanent (5xx) answer: trying again changes nothing."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values())


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        return f"{error.smtp_code} {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {text.decode(errors='replace')}"
                         for address, (code, text) in error.recipients.items())
    return f"{type(error).__name__}: {error}"
