"""Do the evidence rows and the files on disk agree? (``flask evidence check [--fix]``, assessment/cli/evidence.py)

Found: files without a row (orphans: an upload whose transaction never committed, a deletion interrupted
after its commit), rows without a file, leftover ``.part`` files, and uploads whose move into place a crash
interrupted (``<name>.part`` with a committed row). Fixing completes those moves (after checking the bytes
against the row's sha256), moves orphan files aside into ``<evidence folder>/_yatim/`` (never deleting them: a
database restored from an older backup makes newer uploads look orphaned) and removes leftover ``.part``
files. A row without a file cannot be fixed here: its file must come back from a backup.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ...extensions import db
from ..models import EvidenceFile
from .storage import PART

ORPHANS = "_yatim"


@dataclass
class EvidenceCheck:
    orphan_files: list[Path] = field(default_factory=list)
    leftover_parts: list[Path] = field(default_factory=list)
    unfinished_moves: list[tuple[Path, EvidenceFile]] = field(default_factory=list)
    rows_without_file: list[EvidenceFile] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.orphan_files or self.leftover_parts or self.unfinished_moves or self.rows_without_file)


def check_evidence(root: Path) -> EvidenceCheck:
    rows = {(str(row.assessment_id), row.stored_name): row for row in db.session.scalars(sa.select(EvidenceFile))}
    found, present = EvidenceCheck(), set()
    for path in sorted(root.glob("*/*")) if root.is_dir() else []:
        if not path.is_file() or path.parent.name == ORPHANS:
            continue
        key = (path.parent.name, path.name.removesuffix(PART))
        if path.name.endswith(PART):
            if key in rows and not path.with_name(key[1]).exists():
                found.unfinished_moves.append((path, rows[key]))
                present.add(key)
            else:
                found.leftover_parts.append(path)
        elif key in rows:
            present.add(key)
        else:
            found.orphan_files.append(path)
    found.rows_without_file = [row for key, row in rows.items() if key not in present]
    return found


def fix_evidence(root: Path, found: EvidenceCheck) -> list[str]:
    """Apply what can be fixed; returns one line per action. A move whose bytes do not match stays a problem."""
    done = []
    for part, row in found.unfinished_moves:
        if hashlib.sha256(part.read_bytes()).hexdigest() == row.sha256:
            os.replace(part, part.with_name(row.stored_name))
            done.append(f"Dipindahkan ke tempatnya: {part.with_name(row.stored_name)}")
        else:
            found.rows_without_file.append(row)
            done.append(f"Isi berkas tidak cocok dengan catatannya, dibiarkan: {part}")
    for path in found.orphan_files:
        target = root / ORPHANS / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        done.append(f"Berkas yatim dipindahkan: {path} -> {target}")
    for part in found.leftover_parts:
        part.unlink(missing_ok=True)
        done.append(f"Sisa unggahan dihapus: {part}")
    return done
