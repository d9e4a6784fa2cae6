"""Taking an assessment for a change: one transaction at a time per assessment, reading the latest rows.

Two "Kirim" at the same moment, two reviewers verifying, two tabs saving: each request that changes an
assessment first takes its lock, then reads it, so the second waits and then sees what the first did.
PostgreSQL locks the assessment's row (FOR NO KEY UPDATE: inserting an answer only takes a key-share lock
on it, which this does not block). SQLite has one writer at a time: the request takes the database's write
lock (BEGIN IMMEDIATE) before its first read of the data, so what it reads is current; with WAL, readers
are never blocked. Waiting longer than the busy timeout (SQLITE_BUSY_TIMEOUT) raises OperationalError,
which the saving pages answer with 503 and the form as typed.
"""
from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import Assessment


def lock_assessment(assessment_id: int | None) -> None:
    """Lock the assessment (or, on SQLite, the database: also before an assessment is first created)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:  # else a write of this request holds it already
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif assessment_id is not None:
        connection.execute(sa.select(Assessment.id).where(Assessment.id == assessment_id)
                           .with_for_update(key_share=True))
