"""Evidence files on disk: under EVIDENCE_DIR (default instance/evidence), one folder per assessment.

A file and its row never disagree. A new file is written (and synced) as ``<name>.part`` and takes its name
only after the transaction that records its row has committed; if that transaction rolls back, the
``.part`` file is removed. A removed evidence's file is deleted only after the transaction that deletes its
row has committed. A crash between a commit and the rename leaves a ``.part`` file whose row exists, which
``flask evidence check --fix`` completes (assessment/domain/evidence/check.py).
"""
from __future__ import annotations

import errno
import logging
import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from ..models import EvidenceFile

logger = logging.getLogger(__name__)
PART = ".part"
_TO_MOVE, _TO_DELETE = "evidence_to_move", "evidence_to_delete"
FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageError(Exception):
    """The evidence folder cannot take the file; the message is shown to the user as is."""

    status = 503


class StorageFull(StorageError):
    status = 507  # Insufficient Storage


def evidence_root() -> Path:
    return Path(current_app.config.get("EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence")


def path_of(evidence: EvidenceFile) -> Path:
    return evidence_root() / str(evidence.assessment_id) / evidence.stored_name


def stage(session: Session, assessment_id: int, data: bytes, extension: str) -> str:
    """Write the bytes as ``<new random name>.part``, to be renamed when ``session`` commits; returns the name."""
    folder = evidence_root() / str(assessment_id)
    name = f"{secrets.token_hex(16)}.{extension}"
    part = folder / f"{name}{PART}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(part, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the row that points to them commits
    except OSError as error:
        part.unlink(missing_ok=True)  # a disk that filled up half-way leaves no partial file
        raise storage_error(error) from error
    session.info.setdefault(_TO_MOVE, []).append((part, folder / name))
    return name


def delete_after_commit(session: Session, evidence: EvidenceFile) -> None:
    session.info.setdefault(_TO_DELETE, []).append(path_of(evidence))


def storage_error(error: OSError) -> StorageError:
    logger.error("Evidence folder %s: %s", evidence_root(), error)
    if error.errno in FULL:
        return StorageFull("Belum tersimpan: penyimpanan bukti dukung di server penuh. Isian Anda masih di layar; "
                           "hubungi admin, lalu pilih berkasnya lagi dan simpan.")
    return StorageError("Belum tersimpan: folder bukti dukung di server tidak dapat ditulis. Isian Anda masih di "
                        "layar; hubungi admin, lalu pilih berkasnya lagi dan simpan.")


@event.listens_for(Session, "after_commit")
def _finish_files(session: Session) -> None:
    for part, final in session.info.pop(_TO_MOVE, []):
        try:
            os.replace(part, final)
        except OSError:  # the row is committed: `flask evidence check --fix` completes the move
            logger.exception("Evidence file %s could not be moved into place", part)
    for path in session.info.pop(_TO_DELETE, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:  # listed as an orphan file by `flask evidence check`
            logger.exception("Evidence file %s could not be deleted", path)


@event.listens_for(Session, "after_transaction_end")
def _forget_files(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing (a rollback, a failed commit, a closed session)."""
    if transaction.parent is not None:  # a savepoint: the files belong to the enclosing transaction
        return
    for part, _ in session.info.pop(_TO_MOVE, []):
        part.unlink(missing_ok=True)
    session.info.pop(_TO_DELETE, None)
