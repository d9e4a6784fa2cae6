"""Changing what a user receives by e-mail."""
from __future__ import annotations

from ..domain import audit
from ..domain.models import User


def update_notice_settings(user: User, email: str | None, wants_notices: bool) -> bool:
    """Store the user's own address and choice; True if anything changed (then it is in the audit log)."""
    email = email or None
    if (user.email, user.email_notices) == (email, wants_notices):
        return False
    user.email, user.email_notices = email, wants_notices
    choice = "ya" if wants_notices else "tidak"
    audit.record("user.update", user, note=f"Pemberitahuan surel: alamat {email or '–'}; dikirim {choice}")
    return True
