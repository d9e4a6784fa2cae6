"""The field visit (observasi lapangan, verlap): after the desk review, some evaluators visit the unit, meet its
officials, look at what the form claims (a finding per indicator observed), take photos and hold an exit meeting.

A visit is recorded while the assessment is under review (submitted) or sent as hasil sementara; a verified
result, and a form back with the unit or not yet sent, keep it as it is. Each change is audited. The photos are
EvidenceFile rows attached to the visit (AttachedTo.VISIT), stored in the assessment's folder like evidence, but
they are no bukti dukung of the form (Assessment.evidence lists only the form's own files). Functions flush; the
view owns the commit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from . import audit, team
from .evidence import storage
from .evidence.filetypes import JPEG, PNG, detect
from .evidence.services import Upload, clean_name, store_uploads, upload_errors
from .labels import FINDING_LABELS, STATUS_LABELS
from .lifecycle import ActionRefused
from .models import (
    Assessment,
    AssessmentStatus,
    AttachedTo,
    EvidenceFile,
    FieldVisit,
    FindingKind,
    User,
    VisitFinding,
)

TEXT_MAX = 4000  # the officials met, the exit meeting
NOTE_MAX = 2000  # a finding's note
PHOTO_KINDS = (JPEG, PNG)
RECORDING = (AssessmentStatus.SUBMITTED, AssessmentStatus.PROVISIONAL)


def visit_of(assessment: Assessment) -> FieldVisit | None:
    if assessment.id is None:
        return None
    return db.session.scalar(sa.select(FieldVisit).where(FieldVisit.assessment_id == assessment.id))


def recording_refusal(assessment: Assessment) -> str | None:
    """Why the visit cannot be recorded or changed now, or None."""
    if assessment.status in RECORDING:
        return None
    return (f"Penilaian berstatus {STATUS_LABELS[assessment.status].lower()}: observasi lapangan hanya dapat dicatat "
            "selama penilaian diperiksa atau berstatus hasil sementara.")


def _check_recording(assessment: Assessment) -> None:
    refusal = recording_refusal(assessment)
    if refusal:
        raise ActionRefused(refusal)


def _visit_for_change(assessment: Assessment) -> FieldVisit:
    _check_recording(assessment)
    visit = visit_of(assessment)
    if visit is None:
        raise ActionRefused("Simpan dahulu tanggal kunjungan dan anggota tim yang hadir.")
    return visit


# The visit itself: the day, the members present, the officials met, the exit meeting.

def member_candidates(assessment: Assessment) -> list[User]:
    """Who may be named as present: the period's team members when it has any, else every active evaluator and
    administrator; those already named stay on the list."""
    evaluation_team = team.team_of(assessment.period_id)
    people = [member.user for member in evaluation_team.members] if evaluation_team and evaluation_team.members \
        else team.candidates()
    visit = visit_of(assessment)
    ids = {user.id for user in people}  # (User compares by its session token: compare ids)
    named = [user for user in (visit.members if visit else []) if user.id not in ids]
    return sorted([*people, *named], key=lambda user: user.full_name)


def save_visit(assessment: Assessment, visited_on: date, member_ids: Iterable[int], officials: str, exit_notes: str,
               user: User, today: date) -> FieldVisit:
    """Record the visit, or change it; each field that changes is audited."""
    _check_recording(assessment)
    candidates = {candidate.id: candidate for candidate in member_candidates(assessment)}
    member_ids = list(dict.fromkeys(member_ids))
    officials, exit_notes = _lines(officials), exit_notes.replace("\r\n", "\n").strip()
    if visited_on > today:
        raise ActionRefused("Tanggal kunjungan tidak boleh setelah hari ini.")
    if visited_on < assessment.period.opens_on:
        raise ActionRefused("Tanggal kunjungan tidak boleh sebelum periode penilaian dibuka.")
    if not member_ids:
        raise ActionRefused("Pilih sekurang-kurangnya satu anggota tim yang hadir.")
    if any(member_id not in candidates for member_id in member_ids):
        raise ActionRefused("Pilih anggota dari tim evaluator.")
    if len(officials) > TEXT_MAX or len(exit_notes) > TEXT_MAX:
        raise ActionRefused(f"Pejabat yang ditemui dan catatan pertemuan penutup masing-masing paling banyak "
                            f"{TEXT_MAX} karakter.")
    visit = visit_of(assessment)
    if visit is None:
        visit = FieldVisit(assessment_id=assessment.id, visited_on=visited_on, recorded_by=user)
        db.session.add(visit)
        audit.record("visit.record", user, assessment=assessment, new=visited_on.isoformat())
    elif visit.visited_on != visited_on:
        audit.record("visit.date", user, assessment=assessment, old=visit.visited_on.isoformat(),
                     new=visited_on.isoformat())
    members = [candidates[member_id] for member_id in member_ids]
    before = ", ".join(sorted(member.full_name for member in visit.members))
    after = ", ".join(sorted(member.full_name for member in members))
    if before != after:
        audit.record("visit.members", user, assessment=assessment, old=before or None, new=after)
    for action, old, new in (("visit.officials", visit.officials or "", officials),
                             ("visit.exit_notes", visit.exit_notes or "", exit_notes)):
        if old != new:
            audit.record(action, user, assessment=assessment, old=old or None, new=new or None)
    visit.visited_on, visit.members, visit.officials, visit.exit_notes = visited_on, members, officials, exit_notes
    visit.recorded_by = user
    db.session.flush()
    return visit


def _lines(text: str) -> str:
    """One official per line, blank lines and surrounding spaces dropped."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def officials_of(visit: FieldVisit) -> list[str]:
    return [line for line in visit.officials.splitlines() if line.strip()]


# Findings: one per indicator observed.

def set_findings(assessment: Assessment, findings: dict[str, tuple[FindingKind | None, str]], user: User) -> int:
    """Set (or clear, with None) the finding of each indicator given; a finding "not as claimed" needs its note.
    All or nothing: one refused finding refuses them all. Returns how many changed."""
    visit = _visit_for_change(assessment)
    codes = {indicator.code for indicator in assessment.instrument.indicators}
    for code, (kind, note) in findings.items():
        if code not in codes:
            raise ActionRefused("Pilih indikator yang ada dalam instrumen.")
        if kind == FindingKind.NOT_AS_CLAIMED and not note.strip():
            raise ActionRefused(f"Indikator {code}: tuliskan apa yang ditemukan bila tidak sesuai klaim.")
        if len(note.strip()) > NOTE_MAX:
            raise ActionRefused(f"Indikator {code}: catatan paling banyak {NOTE_MAX} karakter.")
    stored = {finding.indicator_code: finding for finding in visit.findings}
    changed = 0
    for code, (kind, note) in findings.items():
        changed += _set_finding(visit, assessment, stored.get(code), code, kind, note.strip(), user)
    db.session.flush()
    return changed


def _set_finding(visit: FieldVisit, assessment: Assessment, finding: VisitFinding | None, code: str,
                 kind: FindingKind | None, note: str, user: User) -> int:
    note = note if kind is not None else ""
    old = (finding.finding, finding.note) if finding else (None, "")
    if old == (kind, note):
        return 0
    audit.record("visit.finding", user, assessment=assessment, indicator_code=code,
                 old=FINDING_LABELS[old[0]] if old[0] else None, new=FINDING_LABELS[kind] if kind else None,
                 note=note)
    if kind is None:
        assert finding is not None, "clearing nothing returned above"
        visit.findings.remove(finding)
    elif finding is None:
        visit.findings.append(VisitFinding(indicator_code=code, finding=kind, note=note))
    else:
        finding.finding, finding.note = kind, note
    return 1


def findings_by_code(assessment: Assessment) -> dict[str, VisitFinding]:
    """The visit's findings by indicator code (empty without a visit): what the review page shows beside each."""
    visit = visit_of(assessment)
    return {finding.indicator_code: finding for finding in visit.findings} if visit else {}


# Photos: JPG or PNG files in the assessment's evidence folder, attached to the visit.

def photos_of(visit: FieldVisit | None) -> list[EvidenceFile]:
    if visit is None or visit.id is None:
        return []
    query = sa.select(EvidenceFile).where(EvidenceFile.attached_to == AttachedTo.VISIT,
                                          EvidenceFile.attached_id == visit.id)
    return list(db.session.scalars(query.order_by(EvidenceFile.id)))


def photos_by_code(visit: FieldVisit | None) -> dict[str, list[EvidenceFile]]:
    """The photos by the indicator they show ("" for a general one)."""
    grouped: dict[str, list[EvidenceFile]] = {}
    for photo in photos_of(visit):
        grouped.setdefault(photo.indicator_code, []).append(photo)
    return grouped


def photo_errors(assessment: Assessment, uploads: list[Upload]) -> list[str]:
    """Why each refused photo cannot be stored (empty: all acceptable): only JPG and PNG, read from the content,
    then the checks of any upload (size, name, the folder's limit)."""
    def not_a_photo(upload: Upload) -> bool:
        return bool(upload.data) and not upload.truncated and detect(upload.data) not in PHOTO_KINDS

    errors = [f"{clean_name(u.filename)}: foto harus berupa JPG atau PNG (jenis dibaca dari isi berkas)."
              for u in uploads if not_a_photo(u)]
    photos = [u for u in uploads if not not_a_photo(u)]
    return errors + [message for messages in upload_errors(assessment, photos).values() for message in messages]


def add_photos(assessment: Assessment, uploads: list[Upload], user: User) -> list[EvidenceFile]:
    """Store the photos (each upload's indicator_code: the indicator it shows, or ""); refused as a whole when one
    is not acceptable. Raises StorageError (storage.py) when the folder cannot take them, leaving nothing behind."""
    visit = _visit_for_change(assessment)
    if not uploads:
        raise ActionRefused("Pilih foto yang akan diunggah.")
    codes = {indicator.code for indicator in assessment.instrument.indicators}
    if any(upload.indicator_code not in codes | {""} for upload in uploads):
        raise ActionRefused("Pilih indikator yang ada dalam instrumen, atau foto umum.")
    errors = photo_errors(assessment, uploads)
    if errors:
        raise ActionRefused("Foto belum tersimpan: " + " ".join(errors))
    return store_uploads(assessment, uploads, user, attached_to=AttachedTo.VISIT, attached_id=visit.id)


def photo_of(assessment: Assessment, photo_id: int) -> EvidenceFile | None:
    """One of the assessment's visit photos, or None."""
    visit = visit_of(assessment)
    return next((photo for photo in photos_of(visit) if photo.id == photo_id), None)


def remove_photo(assessment: Assessment, photo: EvidenceFile, user: User) -> None:
    """Take a photo off the visit; its file goes once the deletion has committed (storage.py)."""
    visit = _visit_for_change(assessment)
    if photo.attached_to != AttachedTo.VISIT or photo.attached_id != visit.id:
        raise ActionRefused("Foto tersebut bukan foto observasi penilaian ini.")
    audit.record("visit.photo_delete", user, assessment=assessment, indicator_code=photo.indicator_code or None,
                 old=photo.original_name)
    db.session.delete(photo)
    db.session.flush()
    storage.delete_after_commit(db.session(), photo)


# What the Berita Acara's annex prints.

@dataclass(frozen=True)
class PresentMember:
    name: str
    nip: str | None
    jabatan: str


def present_members(assessment: Assessment, visit: FieldVisit) -> list[PresentMember]:
    """The members present with the NIP and jabatan the team's SK gives them (the account's NIP otherwise)."""
    evaluation_team = team.team_of(assessment.period_id)
    result = []
    for user in visit.members:
        member = team.member_of(evaluation_team, user)
        result.append(PresentMember(user.full_name, (member.nip if member else "") or user.nip,
                                    member.jabatan if member else ""))
    return result
