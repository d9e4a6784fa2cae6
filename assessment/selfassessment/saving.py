"""Saving one page of the form: the indicators it carries (each on its own), new evidence files, a file removal."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from ..domain.answers import assessment_for, save_entries
from ..domain.evidence.services import delete_evidence, read_upload, store_uploads, upload_errors
from ..domain.lifecycle import ActionRefused
from ..domain.models import Assessment, User
from ..domain.saves import Outcome, Result, SaveReport, Stored
from ..web.autosave import sent_entries
from ..web.form_fields import field_key
from .fact_saving import checked_entries, save_fact_entries
from .sections import Section

DELETE_PREFIX = "hapus-bukti:"


@dataclass
class PageSave:
    assessment: Assessment  # the stored one once anything was saved (a first save creates it)
    report: SaveReport = field(default_factory=SaveReport)
    upload_problems: dict[str, list[str]] = field(default_factory=dict)
    fact_problems: dict[str, dict[str, str]] = field(default_factory=dict)  # by code, then fact key

    @property
    def complete(self) -> bool:
        return self.report.complete and not self.upload_problems

    @property
    def refused_input(self) -> bool:
        """Nothing was saved because of what was sent (a field or a file): the page comes back as typed."""
        return bool(self.report.codes(Outcome.INVALID) or self.upload_problems)


def save_page(assessment: Assessment, page: Section, form: FlaskForm, files: MultiDict, action: str,
              user: User, today: date) -> PageSave:
    """Refused input (a field, a file) saves nothing, so the page comes back as typed; otherwise each indicator
    is saved on its own, and one changed by someone else meanwhile is returned as a conflict.

    An assessment not started yet (not stored) is created here, with the first thing worth saving.
    Raises ActionRefused when the form may not change any more, StorageError when a file cannot be written.
    """
    entries, invalid = sent_entries(form, page.items)
    fact_problems: dict[str, dict[str, str]] = {}
    if assessment.instrument.has_facts:
        entries, refused, fact_problems = checked_entries(assessment, page.items, entries)
        invalid = {**invalid, **refused}
    uploads = [read_upload(item.code, upload) for item in page.items
               for upload in files.getlist(f"evidence_{field_key(item.code)}") if upload and upload.filename]
    problems = upload_errors(assessment, uploads)
    if invalid or problems:
        return PageSave(assessment, SaveReport(invalid), problems, fact_problems)
    if assessment.id is None:
        if not uploads and all(_nothing(entry.values) for entry in entries):
            return PageSave(assessment, SaveReport({e.code: Result(Outcome.UNCHANGED, Stored(e.values)) for e in entries}))
        assessment = assessment_for(assessment.unit, assessment.period)
    save = save_fact_entries if assessment.instrument.has_facts else save_entries
    report = save(assessment, entries, user, today)
    store_uploads(assessment, uploads, user)
    if action.startswith(DELETE_PREFIX):
        evidence = next((e for e in assessment.evidence if str(e.id) == action[len(DELETE_PREFIX):]), None)
        if evidence is None:
            raise ActionRefused("Bukti dukung yang akan dihapus tidak ditemukan.")
        delete_evidence(evidence, assessment, user, today)
    return PageSave(assessment, report)


def _nothing(values: tuple) -> bool:
    """An indicator without an answer: no level (or no facts) and no justification."""
    return all(value in (None, "") for value in values)
