"""Taking an assessment for a change: one transaction at a time per assessment, reading the latest rows.

Two "Kirim" at the same moment, two reviewers verifying: each request that moves an assessment along its
life cycle first takes its lock, then reads it, so the second waits and then sees what the first did.
PostgreSQL locks the assessment's row (FOR NO KEY UPDATE: inserting an answer only takes a key-share lock
on it, which this does not block); saves take the same row lock. SQLite has one writer at a time for the
whole database: a transition takes that write lock (BEGIN IMMEDIATE) before its first read, so what it
reads is current. A save does not (it would make every save in the Pemda wait for the whole of the one
before it): there each answer's and review's version, checked by its UPDATE, catches a save that came in
between (assessment/web/autosave.py answers it "try again", and the retry sees the other side's change).
Waiting longer than the busy timeout (SQLITE_BUSY_TIMEOUT) raises OperationalError: 503, form as typed.
"""
from __future__ import annotations

from ..extensions import db
from .models import Assessment


def lock_database() -> None:
    """SQLite: take the write lock now, before this request reads what it will change (also before an
    assessment is first created). PostgreSQL locks rows instead: nothing to do."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # (in a transaction: a write of this request holds it already)


def assessment_for_change(assessment_id: int, *, transition: bool) -> Assessment | None:
    """Load the assessment locked (one statement on PostgreSQL: the load itself takes the row lock); for a
    transition, on SQLite, after taking the database's write lock."""
    if transition:
        lock_database()
    return db.session.get(Assessment, assessment_id, with_for_update={"key_share": True})
