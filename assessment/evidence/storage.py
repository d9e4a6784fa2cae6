"""Evidence files on disk: under EVIDENCE_DIR (default instance/evidence), one folder per assessment."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import current_app

from ..models import EvidenceFile


def evidence_root() -> Path:
    return Path(current_app.config.get("EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence")


def path_of(evidence: EvidenceFile) -> Path:
    return evidence_root() / str(evidence.assessment_id) / evidence.stored_name


def write(assessment_id: int, data: bytes, extension: str) -> str:
    """Store the bytes under a new random name (written to a temporary file, then renamed) and return it."""
    folder = evidence_root() / str(assessment_id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, folder / name)
    return name


def remove(assessment_id: int, stored_name: str) -> None:
    (evidence_root() / str(assessment_id) / stored_name).unlink(missing_ok=True)
