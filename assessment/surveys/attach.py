"""Attaching the Laporan SKM to the unit's self-assessment as evidence of the SKM indicators, in one click.

Only the evidence feature's public functions are used (upload_errors, store_uploads), so its storage can change
underneath; the same rules as an upload by hand apply (the form must still be editable, size and type checks).
"""
from __future__ import annotations

import hashlib
from datetime import date

from ..domain.answers import assessment_for
from ..domain.evidence.services import Upload, store_uploads, upload_errors
from ..domain.lifecycle import ActionRefused, editing_refusal
from ..domain.models import Period, Unit, User
from . import documents
from .services import unit_survey

# Indicators whose evidence is the SKM: done per the regulation, its results published, its follow-up planned,
# and the speed of that follow-up.
SKM_INDICATORS = ("6.a.B", "7.a.T", "8.a.Ak", "9.a.Ak")


def attach_report(unit: Unit, period: Period, user: User, today: date) -> list[str]:
    """Store the report as of now on each SKM indicator that does not hold this very file yet; the codes attached."""
    assessment = assessment_for(unit, period)
    refusal = editing_refusal(assessment, today)
    if refusal:
        raise ActionRefused(f"Laporan SKM tidak dapat dilampirkan: {refusal}")
    survey = unit_survey(unit, period, today)
    if not survey.skm.respondents:
        raise ActionRefused("Belum ada responden SKM: laporan belum dapat dilampirkan.")
    pdf = documents.report(survey)
    digest = hashlib.sha256(pdf.data).hexdigest()
    held = {(evidence.indicator_code, evidence.sha256) for evidence in assessment.evidence}
    codes = [code for code in SKM_INDICATORS
             if period.instrument.find_item(code) is not None and (code, digest) not in held]
    if not codes:
        raise ActionRefused("Laporan SKM yang sama sudah terlampir pada indikator SKM.")
    uploads = [Upload(code, f"Laporan SKM {unit.short_name} {period.year}.pdf", pdf.data) for code in codes]
    problems = upload_errors(assessment, uploads)
    if problems:
        raise ActionRefused(next(iter(problems.values()))[0])
    store_uploads(assessment, uploads, user)
    return codes
