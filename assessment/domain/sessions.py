"""Server-side sessions: the signed cookie names a UserSession by a random token, checked on every request.

So a session can be ended for real: logging out ends this one, a new password every other one of its owner,
an admin's reset or a deactivation every one of that account. A session also ends after SESSION_IDLE_TIMEOUT
without a request and PERMANENT_SESSION_LIFETIME after the login, however busy.

Flask-Login's public hooks carry it: the user loader (``load_session_user``) receives what ``User.get_id()``
put in the cookie at login, here the session's token. The database keeps only the token's hash.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import User, UserSession, utcnow

# "last seen" is written at most this often: a page of many requests costs one write, not one each.
LAST_SEEN_PRECISION = timedelta(minutes=1)
# Ended sessions are kept this long after they could have lasted at most (for questions about a login), then pruned.
KEPT_AFTER_END = timedelta(days=30)
TOKEN_BYTES = 32


def start_session(user: User) -> str:
    """A new server-side session for this user; its token goes into the cookie through ``User.get_id()``."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    _prune_old_sessions(now)
    record = UserSession(token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now)
    db.session.add(record)
    db.session.flush()
    user.session_token = token
    g.user_session = record
    return token


def load_session_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of a session that is open, neither idle too long nor too old."""
    query = sa.select(UserSession).where(UserSession.token_hash == _hash(token)).options(joinedload(UserSession.user))
    record = db.session.scalar(query)  # one query a request, as loading the user alone was
    if record is None or record.ended_at is not None:
        return None
    now = utcnow()
    expired = _expiry_reason(record, now)
    if expired or not record.user.is_active:
        _end(record, expired or "deactivated", now)
        db.session.commit()
        return None
    if now - record.last_seen_at >= LAST_SEEN_PRECISION:
        record.last_seen_at = now
        db.session.commit()  # before the view runs: nothing of the request is pending yet
    record.user.session_token = token
    g.user_session = record
    return record.user


def end_current_session(reason: str) -> None:
    """End the session of this request (logout)."""
    record = g.pop("user_session", None)
    if record is not None:
        _end(record, reason, utcnow())


def end_sessions_of(user: User, reason: str, keep_current: bool = False) -> None:
    """End every open session of ``user`` (optionally all but this request's); the caller commits."""
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    current = g.get("user_session")
    if keep_current and current is not None:
        query = query.where(UserSession.id != current.id)
    db.session.execute(query.values(ended_at=utcnow(), end_reason=reason))


def _expiry_reason(record: UserSession, now: datetime) -> str | None:
    config = current_app.config
    if now - record.created_at >= _as_timedelta(config["PERMANENT_SESSION_LIFETIME"]):
        return "lifetime"
    if now - record.last_seen_at >= _as_timedelta(config["SESSION_IDLE_TIMEOUT"]):
        return "idle"
    return None


def _end(record: UserSession, reason: str, now: datetime) -> None:
    record.ended_at, record.end_reason = now, reason


def _prune_old_sessions(now: datetime) -> None:
    oldest = now - _as_timedelta(current_app.config["PERMANENT_SESSION_LIFETIME"]) - KEPT_AFTER_END
    db.session.execute(sa.delete(UserSession).where(UserSession.created_at < oldest))


def _as_timedelta(value: timedelta | int | float) -> timedelta:
    """Settings from the environment arrive as seconds."""
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
