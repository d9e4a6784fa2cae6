"""Saving one page of the form: answers, new evidence files and a file removal, all or nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from ..evidence.services import delete_evidence, read_upload, store_uploads, upload_errors
from ..form_fields import field_key
from ..lifecycle import ActionRefused
from ..models import Assessment, User
from .forms import entries_from, versions_from
from .sections import Section
from .services import save_answers

DELETE_PREFIX = "hapus-bukti:"


@dataclass
class PageSave:
    upload_problems: dict[str, list[str]] = field(default_factory=dict)
    changed: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.upload_problems)


def save_page(assessment: Assessment, page: Section, form: FlaskForm, files: MultiDict, action: str,
              user: User, today: date) -> PageSave:
    """Check every new file first; if one is refused nothing is saved, so the page can be shown again as typed.

    Raises SaveConflict when an answer moved on since the page was loaded and
    ActionRefused when the form may not change any more.
    """
    uploads = [read_upload(item.code, upload) for item in page.items
               for upload in files.getlist(f"evidence_{field_key(item.code)}") if upload and upload.filename]
    problems = upload_errors(assessment, uploads)
    if problems:
        return PageSave(upload_problems=problems)
    changed = save_answers(assessment, entries_from(form, page), user, today, base_versions=versions_from(form, page))
    store_uploads(assessment, uploads, user)
    if action.startswith(DELETE_PREFIX):
        evidence = next((e for e in assessment.evidence if str(e.id) == action[len(DELETE_PREFIX):]), None)
        if evidence is None:
            raise ActionRefused("Bukti dukung yang akan dihapus tidak ditemukan.")
        delete_evidence(evidence, assessment, user, today)
    return PageSave(changed=changed + len(uploads))
