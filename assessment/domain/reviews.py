"""Reviewing a submitted assessment: decisions per indicator, return, verify, reopen, what changed."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..extensions import db
from . import audit, objections, team
from .formatting import today_wib
from .instrument import Indicator
from .lifecycle import ActionRefused, apply_transition, check_transition
from .models import Assessment, AssessmentStatus, Review, ReviewDecision, User, utcnow
from .recommendations import generate_recommendations
from .saves import Entry, Outcome, Result, SaveReport, Stored, decide

AGREE = "agree"
NOTE_REQUIRED = "Catatan wajib diisi bila level verifikasi berbeda dari level mandiri."
NOT_YOURS = "Indikator ini ditugaskan kepada anggota tim lain; Anda hanya dapat membacanya."


def review_choice(assessment: Assessment, code: str) -> str:
    """The value the review form shows for an indicator: "" (not yet), "agree", or a level "0".."5"."""
    review = assessment.reviews.get(code)
    if review is None or review.decision is None:
        return ""
    return AGREE if review.decision == ReviewDecision.AGREE else str(review.verified_level)


def stored_review(assessment: Assessment, code: str) -> Stored:
    review = assessment.reviews.get(code)
    if review is None:
        return Stored(("", ""))
    return Stored((review_choice(assessment, code), review.note), review.version, review.save_key,
                  review.reviewer.full_name if review.reviewer else "", review.updated_at)


def save_review_entries(assessment: Assessment, entries: Iterable[Entry], user: User) -> SaveReport:
    """Decide and store each decision of a save on its own (see assessment/domain/saves.py); level changes audited.

    A changed level without a note saves nothing (the reviewer sees why); a decision someone else changed
    meanwhile is returned as a conflict while the others are saved; an indicator the evaluator team gave to
    someone else is refused.
    """
    _refuse_unless_under_review(assessment)
    mine = team.duties(assessment, user).codes
    not_mine = {entry.code: Result(Outcome.INVALID, message=NOT_YOURS) for entry in entries if entry.code not in mine}
    if not_mine:
        return SaveReport(not_mine)
    outcomes = {entry.code: decide(entry, stored_review(assessment, entry.code)) for entry in entries}
    changes = [entry for entry in entries if outcomes[entry.code] is Outcome.SAVED]
    missing_notes = {entry.code: Result(Outcome.INVALID, message=NOTE_REQUIRED)
                     for entry in changes if _needs_note(assessment, entry.code, *entry.values)}
    if missing_notes:
        return SaveReport(missing_notes)
    before = assessment.verified_levels()
    for entry in changes:
        choice, note = entry.values
        _store_review(assessment, entry.code, choice, note, user, entry.key)
    _audit_level_changes(assessment, before, user)
    db.session.flush()
    return SaveReport({code: Result(outcome, stored_review(assessment, code)) for code, outcome in outcomes.items()})


def _needs_note(assessment: Assessment, code: str, choice: str, note: str) -> bool:
    answer = assessment.answers.get(code)
    return choice.isdigit() and answer is not None and int(choice) != answer.level and not note


def _store_review(assessment: Assessment, code: str, choice: str, note: str, user: User, key: str = "") -> None:
    """Set one decision (a level equal to the OPD's counts as agreeing); a changed note is audited."""
    decision, level = _decision(assessment, code, choice)
    review = assessment.reviews.get(code)
    if review is None:
        review = assessment.reviews[code] = Review(indicator_code=code, note="")
    if (review.decision, review.verified_level, review.note) == (decision, level, note):
        return
    if note != review.note:
        audit.record("review.note", user, assessment=assessment, indicator_code=code, old=review.note, new=note)
    review.decision, review.verified_level, review.note = decision, level, note
    review.reviewer, review.updated_at, review.save_key = user, utcnow(), key or None


def _audit_level_changes(assessment: Assessment, before: dict[str, int | None], user: User) -> None:
    for code, new_level in assessment.verified_levels().items():
        if before.get(code) != new_level:
            audit.record("review.level", user, assessment=assessment, indicator_code=code,
                         old=before.get(code), new=new_level, note=assessment.reviews[code].note)


def _decision(assessment: Assessment, code: str, choice: str) -> tuple[ReviewDecision | None, int | None]:
    answer = assessment.answers.get(code)
    if choice == AGREE or (choice.isdigit() and answer and int(choice) == answer.level):
        return ReviewDecision.AGREE, None
    if choice.isdigit():
        return ReviewDecision.CHANGE, int(choice)
    return None, None


def save_review(assessment: Assessment, decisions: Mapping[str, tuple[str, str]], user: User) -> None:
    """Store (choice, note) per indicator as given, without version checks (the demo, agree_with_the_rest)."""
    _refuse_unless_under_review(assessment)
    before = assessment.verified_levels()
    for code, (choice, note) in decisions.items():
        _store_review(assessment, code, choice, note, user)
    _audit_level_changes(assessment, before, user)
    db.session.flush()


def _refuse_unless_under_review(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ActionRefused("Verifikasi hanya dapat diisi saat penilaian berstatus dikirim.")


def agree_with_the_rest(assessment: Assessment, user: User) -> int:
    """Mark every indicator of the user's not yet reviewed as agreeing (notes kept): the quick path when most
    answers stand."""
    mine = team.duties(assessment, user).codes
    rest = {ind.code: (AGREE, stored_review(assessment, ind.code).values[1]) for ind in unreviewed(assessment)
            if ind.code in mine}
    save_review(assessment, rest, user)
    return len(rest)


def unreviewed(assessment: Assessment) -> list[Indicator]:
    return [ind for ind in assessment.instrument.indicators if review_choice(assessment, ind.code) == ""]


def return_assessment(assessment: Assessment, user: User, reason: str) -> None:
    """Send the form back to the OPD, which sees the reason and the reviewer's notes."""
    apply_transition(assessment, "return", user, reason)
    assessment.returned_reason = reason.strip()
    db.session.flush()


def verify_assessment(assessment: Assessment, user: User, today: date | None = None) -> None:
    """Make the verified levels final; the form and the review lock, recommendations are drafted.

    In a period with a verification window the first verification sends the unit its hasil sementara instead
    (domain/objections.py), and the verification of a provisional result is the final one.
    """
    today = today or today_wib()
    if assessment.status == AssessmentStatus.PROVISIONAL:
        _finalize(assessment, user, today)
        return
    check_transition(assessment, "verify", user)
    missing = unreviewed(assessment)
    if missing:
        raise ActionRefused(
            f"Belum dapat diverifikasi: {len(missing)} indikator belum diperiksa "
            f"({', '.join(ind.code for ind in missing)})."
        )
    if assessment.period.objection_days > 0:
        objections.open_window(assessment, user, today)
        return
    apply_transition(assessment, "verify", user)
    _make_final(assessment, user)


def _finalize(assessment: Assessment, user: User, today: date) -> None:
    check_transition(assessment, "finalize", user)
    if refusal := objections.refusal_to_finalize(assessment, today):
        raise ActionRefused(refusal)
    objections.close(assessment, user, today)
    apply_transition(assessment, "finalize", user)
    _make_final(assessment, user)


def _make_final(assessment: Assessment, user: User) -> None:
    assessment.verified_at, assessment.verified_by = utcnow(), user
    generate_recommendations(assessment, user)
    db.session.flush()


def reopen_assessment(assessment: Assessment, user: User, reason: str) -> None:
    """An admin takes a verified assessment, or a provisional one, back under review (e.g. a late correction)."""
    was_provisional = assessment.status == AssessmentStatus.PROVISIONAL
    apply_transition(assessment, "reopen", user, reason)
    if was_provisional:
        objections.close(assessment, user, today_wib())
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


def _snapshot(entry: dict[str, Any]) -> tuple[Any, ...]:
    """Level, justification, evidence and (on an instrument with facts) the fact answers, which a change of
    facts alone must reopen too: the reviewer checked the old ones."""
    return (entry.get("level"), entry.get("justification", ""), tuple(entry.get("evidence", ())),
            json.dumps(entry.get("facts"), sort_keys=True))


def clear_reviews_of_changed_answers(assessment: Assessment) -> None:
    """After a resubmission, a decision on an answer the OPD has since changed must be taken again."""
    for code in changes_since_last_submission(assessment):
        review = assessment.reviews.get(code)
        if review is not None:
            review.decision = review.verified_level = None
    db.session.flush()
