"""Every (status, action, role): allowed transitions work, all others are refused and change nothing."""
import itertools

import pytest
import sqlalchemy as sa

from assessment.domain.lifecycle import ActionRefused, apply_transition
from assessment.domain.models import AssessmentStatus, AuditEvent, Role
from assessment.extensions import db

ALLOWED = {
    ("draft", "submit", "opd"): "submitted",
    ("returned", "submit", "opd"): "submitted",
    ("submitted", "return", "reviewer"): "returned",
    ("submitted", "return", "admin"): "returned",
    ("submitted", "verify", "reviewer"): "verified",
    ("submitted", "verify", "admin"): "verified",
    ("verified", "reopen", "admin"): "submitted",
}
CASES = list(itertools.product(
    [s.value for s in AssessmentStatus], ["submit", "return", "verify", "reopen"], [r.value for r in Role]))


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


@pytest.mark.parametrize(("status", "action", "role"), CASES)
def test_transition_table(world, status, action, role):
    user = {"opd": world.opd, "reviewer": world.reviewer, "admin": world.admin}[role]
    world.assessment.status = AssessmentStatus(status)
    before = audit_count()
    if (status, action, role) in ALLOWED:
        apply_transition(world.assessment, action, user, reason="Alasan uji")
        assert world.assessment.status.value == ALLOWED[(status, action, role)]
        assert audit_count() == before + 1
    else:
        with pytest.raises(ActionRefused) as refused:
            apply_transition(world.assessment, action, user, reason="Alasan uji")
        assert str(refused.value)  # a sentence the user can read
        assert world.assessment.status.value == status
        assert audit_count() == before


@pytest.mark.parametrize(("status", "action"), [("submitted", "return"), ("verified", "reopen")])
def test_return_and_reopen_need_a_reason(world, status, action):
    world.assessment.status = AssessmentStatus(status)
    with pytest.raises(ActionRefused, match="Alasan wajib"):
        apply_transition(world.assessment, action, world.admin, reason="   ")
    assert world.assessment.status.value == status


def test_transition_is_logged_with_old_and_new_status(world):
    world.assessment.status = AssessmentStatus.SUBMITTED
    apply_transition(world.assessment, "return", world.reviewer, reason="Lengkapi bukti")
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.old_value, event.new_value, event.note, event.user) == (
        "assessment.return", "submitted", "returned", "Lengkapi bukti", world.reviewer)
