"""Checking, storing and removing evidence files. Functions flush; the view owns the commit."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from ...extensions import db
from .. import audit
from ..instrument import Indicator
from ..lifecycle import ActionRefused, editing_refusal
from ..models import Assessment, AttachedTo, EvidenceFile, User
from . import storage
from .filetypes import ALLOWED, EXTENSIONS, active_content_refusal, detect

ALLOWED_LABELS = ", ".join(kind.label for kind in ALLOWED)
# What the audit log calls a file added, by what it was uploaded for.
ADDED = {AttachedTo.FORM: "evidence.add", AttachedTo.OBJECTION: "objection.evidence",
         AttachedTo.FOLLOWUP: "followup.evidence", AttachedTo.VISIT: "visit.photo_add"}


@dataclass(frozen=True)
class Upload:
    indicator_code: str
    filename: str  # as sent by the browser; cleaned before it is stored
    data: bytes
    truncated: bool = False  # more bytes than the limit were sent; only the limit + 1 were read


def read_upload(indicator_code: str, file_storage: FileStorage) -> Upload:
    """Read at most the size limit + 1 byte, so an oversized file is refused without filling memory."""
    limit = current_app.config["EVIDENCE_MAX_FILE_BYTES"]
    data = file_storage.stream.read(limit + 1)
    return Upload(indicator_code, file_storage.filename or "", data[:limit + 1], truncated=len(data) > limit)


def clean_name(filename: str) -> str:
    """The name to show: no folders, no control characters, at most 200 characters."""
    name = re.split(r"[\\/]", filename)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    return name[-200:] or "berkas"  # keep the end: it holds the extension


def upload_errors(assessment: Assessment, uploads: Iterable[Upload]) -> dict[str, list[str]]:
    """Per indicator, why each refused file cannot be stored; empty when every file is acceptable."""
    uploads = list(uploads)
    if not uploads:  # an autosave sends no files: no need to load the evidence already stored
        return {}
    errors: dict[str, list[str]] = {}
    max_mb = current_app.config["EVIDENCE_MAX_FILE_BYTES"] // (1024 * 1024)
    total = _stored_bytes(assessment)
    for upload in uploads:
        name = clean_name(upload.filename)
        problem = _problem(upload, name, max_mb)
        total += len(upload.data)
        if problem is None and total > current_app.config["EVIDENCE_MAX_TOTAL_BYTES"]:
            limit_mb = current_app.config["EVIDENCE_MAX_TOTAL_BYTES"] // (1024 * 1024)
            problem = f"{name}: jumlah ukuran bukti dukung melebihi batas {limit_mb} MB untuk satu penilaian."
        if problem:
            errors.setdefault(upload.indicator_code, []).append(problem)
    return errors


def _stored_bytes(assessment: Assessment) -> int:
    """Bytes the assessment's folder holds: the form's evidence and the files of its objections, follow-ups and
    visits alike (the limit is on the folder, not on the form's bukti dukung)."""
    if assessment.id is None:
        return 0
    query = sa.select(sa.func.coalesce(sa.func.sum(EvidenceFile.size), 0))
    return int(db.session.scalar(query.where(EvidenceFile.assessment_id == assessment.id)) or 0)


def _problem(upload: Upload, name: str, max_mb: int) -> str | None:
    if not upload.data:
        return f"{name}: berkas kosong."
    if upload.truncated:
        return f"{name}: ukuran berkas lebih dari {max_mb} MB."
    kind = detect(upload.data)
    if kind is None:
        return f"{name}: jenis berkas tidak diterima; unggah {ALLOWED_LABELS} (jenis dibaca dari isi berkas)."
    named = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None
    if named is not kind:
        return f"{name}: nama berkas tidak sesuai dengan isinya ({kind.label})."
    refusal = active_content_refusal(kind, upload.data)
    return f"{name}: {refusal}" if refusal else None


def store_uploads(assessment: Assessment, uploads: Iterable[Upload], user: User, *,
                  attached_to: AttachedTo = AttachedTo.FORM, attached_id: int | None = None) -> list[EvidenceFile]:
    """Record checked uploads; each file takes its place on disk when the transaction commits (storage.py).
    ``attached_to``/``attached_id``: what the files are for when they are not the form's own evidence.

    Raises StorageError (full or unwritable evidence folder), leaving nothing behind.
    """
    stored: list[EvidenceFile] = []
    for upload in uploads:
        kind = detect(upload.data)
        assert kind is not None, "only uploads that upload_errors accepted are stored"
        evidence = EvidenceFile(
            assessment_id=assessment.id, indicator_code=upload.indicator_code,
            original_name=clean_name(upload.filename),
            stored_name=storage.stage(db.session(), assessment.id, upload.data, kind.extension),
            mime_type=kind.mime_type, size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(),
            uploaded_by=user, attached_to=attached_to, attached_id=attached_id,
        )
        db.session.add(evidence)
        stored.append(evidence)
        audit.record(ADDED[attached_to], user, assessment=assessment, indicator_code=upload.indicator_code,
                     new=evidence.original_name)
    db.session.flush()
    return stored


def delete_evidence(evidence: EvidenceFile, assessment: Assessment, user: User, today: date) -> None:
    """Remove a file while the form may still change (a submitted form keeps its evidence); the file goes once
    the row's deletion has committed, so a failed commit never leaves a row without its file."""
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(refusal)
    audit.record("evidence.delete", user, assessment=assessment, indicator_code=evidence.indicator_code,
                 old=evidence.original_name)
    db.session.delete(evidence)
    db.session.flush()
    storage.delete_after_commit(db.session(), evidence)


def missing_evidence(assessment: Assessment) -> list[Indicator]:
    """Answered indicators above level 0 that have no evidence yet; none where the period does not ask for it."""
    if not assessment.period.require_evidence:
        return []
    with_files = {e.indicator_code for e in assessment.evidence}
    levels = assessment.levels()
    return [ind for ind in assessment.instrument.indicators
            if (levels.get(ind.code) or 0) > 0 and ind.code not in with_files]


def evidence_by_indicator(assessment: Assessment) -> dict[str, list[EvidenceFile]]:
    grouped: dict[str, list[EvidenceFile]] = {}
    for evidence in assessment.evidence:
        grouped.setdefault(evidence.indicator_code, []).append(evidence)
    return grouped
