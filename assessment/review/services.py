"""Reviewing a submitted assessment: decisions per indicator, return, verify, reopen, what changed."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import audit
from ..extensions import db
from ..instrument import Indicator
from ..lifecycle import ActionRefused, apply_transition, check_transition
from ..models import Assessment, AssessmentStatus, Review, ReviewDecision, User, utcnow
from .recommendations import generate_recommendations

AGREE = "agree"


@dataclass(frozen=True)
class ReviewEntry:
    """What the reviewer chose for one indicator: "" (not yet), "agree", or a level "0".."5"; and a note.

    ``version`` is the review's version when the page was loaded (None: not checked).
    """

    choice: str
    note: str
    version: int | None = None


def review_choice(assessment: Assessment, code: str) -> str:
    """The value the review form shows for an indicator."""
    review = assessment.reviews.get(code)
    if review is None or review.decision is None:
        return ""
    return AGREE if review.decision == ReviewDecision.AGREE else str(review.verified_level)


def entry_errors(assessment: Assessment, entries: Mapping[str, ReviewEntry]) -> dict[str, str]:
    """Per indicator, why the entry cannot be saved (a changed level needs a note)."""
    errors = {}
    for code, entry in entries.items():
        answer = assessment.answers.get(code)
        if entry.choice.isdigit() and answer and int(entry.choice) != answer.level and not entry.note:
            errors[code] = "Catatan wajib diisi bila level verifikasi berbeda dari level mandiri."
    return errors


def save_review(assessment: Assessment, entries: Mapping[str, ReviewEntry], user: User) -> int:
    """Store the decisions (a level equal to the OPD's counts as agreeing); level changes are audited."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ActionRefused("Verifikasi hanya dapat diisi saat penilaian berstatus dikirim.")
    errors = entry_errors(assessment, entries)
    if errors:
        raise ActionRefused("Catatan wajib diisi bila level verifikasi berbeda dari level mandiri.")
    stale = [code for code, entry in entries.items() if _is_stale(assessment, code, entry)]
    if stale:
        raise ActionRefused(
            f"Belum tersimpan: keputusan untuk {', '.join(stale)} telah diubah evaluator lain sejak halaman ini dibuka. "
            "Muat ulang halaman untuk melihat perubahan itu."
        )
    before = assessment.verified_levels()
    changed = 0
    for code, entry in entries.items():
        decision, level = _decision(assessment, code, entry.choice)
        review = assessment.reviews.get(code)
        if review is None:
            review = assessment.reviews[code] = Review(indicator_code=code, note="")
        if (review.decision, review.verified_level, review.note) == (decision, level, entry.note):
            continue
        review.decision, review.verified_level, review.note = decision, level, entry.note
        review.reviewer, review.updated_at = user, utcnow()
        changed += 1
    for code, new_level in assessment.verified_levels().items():
        if before.get(code) != new_level:
            audit.record("review.level", user, assessment=assessment, indicator_code=code,
                         old=before.get(code), new=new_level, note=assessment.reviews[code].note)
    db.session.flush()
    return changed


def _is_stale(assessment: Assessment, code: str, entry: ReviewEntry) -> bool:
    """A decision that would change a review someone else saved after this page was loaded."""
    review = assessment.reviews.get(code)
    current = review.version if review else 0
    if entry.version is None or entry.version == current or review is None:
        return False
    decision, level = _decision(assessment, code, entry.choice)
    return (decision, level, entry.note) != (review.decision, review.verified_level, review.note)


def _decision(assessment: Assessment, code: str, choice: str) -> tuple[ReviewDecision | None, int | None]:
    answer = assessment.answers.get(code)
    if choice == AGREE or (choice.isdigit() and answer and int(choice) == answer.level):
        return ReviewDecision.AGREE, None
    if choice.isdigit():
        return ReviewDecision.CHANGE, int(choice)
    return None, None


def agree_with_the_rest(assessment: Assessment, user: User) -> int:
    """Mark every indicator not yet reviewed as agreeing: the quick path when most answers stand."""
    rest = {ind.code: ReviewEntry(AGREE, "") for ind in unreviewed(assessment)}
    if rest:
        save_review(assessment, rest, user)
    return len(rest)


def unreviewed(assessment: Assessment) -> list[Indicator]:
    return [ind for ind in assessment.instrument.indicators if review_choice(assessment, ind.code) == ""]


def return_assessment(assessment: Assessment, user: User, reason: str) -> None:
    """Send the form back to the OPD, which sees the reason and the reviewer's notes."""
    apply_transition(assessment, "return", user, reason)
    assessment.returned_reason = reason.strip()
    db.session.flush()


def verify_assessment(assessment: Assessment, user: User) -> None:
    """Make the verified levels final; the form and the review lock, recommendations are drafted."""
    check_transition(assessment, "verify", user)
    missing = unreviewed(assessment)
    if missing:
        raise ActionRefused(
            f"Belum dapat diverifikasi: {len(missing)} indikator belum diperiksa "
            f"({', '.join(ind.code for ind in missing)})."
        )
    apply_transition(assessment, "verify", user)
    assessment.verified_at, assessment.verified_by = utcnow(), user
    generate_recommendations(assessment, user)
    db.session.flush()


def reopen_assessment(assessment: Assessment, user: User, reason: str) -> None:
    """An admin takes a verified assessment back under review (e.g. a late correction)."""
    apply_transition(assessment, "reopen", user, reason)
    assessment.verified_at = assessment.verified_by = None
    db.session.flush()


@dataclass(frozen=True)
class Change:
    indicator: Indicator
    old_level: int | None
    new_level: int | None
    old_justification: str
    new_justification: str
    old_evidence: tuple[str, ...] = ()
    new_evidence: tuple[str, ...] = ()


def changes_since_last_submission(assessment: Assessment) -> dict[str, Change]:
    """Indicators whose level, justification or evidence differ between the last two submissions."""
    if len(assessment.submissions) < 2:
        return {}
    previous, latest = assessment.submissions[-2].answers, assessment.submissions[-1].answers
    changes = {}
    for item in assessment.instrument.all_items:
        old, new = _snapshot(previous.get(item.code, {})), _snapshot(latest.get(item.code, {}))
        if old != new:
            changes[item.code] = Change(item, old[0], new[0], old[1], new[1], old[2], new[2])
    return changes


def _snapshot(entry: dict) -> tuple[int | None, str, tuple[str, ...]]:
    return entry.get("level"), entry.get("justification", ""), tuple(entry.get("evidence", ()))


def clear_reviews_of_changed_answers(assessment: Assessment) -> None:
    """After a resubmission, a decision on an answer the OPD has since changed must be taken again."""
    for code in changes_since_last_submission(assessment):
        review = assessment.reviews.get(code)
        if review is not None:
            review.decision = review.verified_level = None
    db.session.flush()
