"""What the mails say: plain Bahasa Indonesia from templates/notices/*.txt, with absolute links."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import current_app, render_template

from ..config import public_base_url
from ..domain.models import Assessment, NoticeKind, Period, Unit, User

SUBJECTS = {
    NoticeKind.REMINDER: "Pengingat: penilaian mandiri PEKPPP {year} {unit} belum dikirim ({days} hari lagi)",
    NoticeKind.RETURNED: "Penilaian mandiri PEKPPP {year} {unit} dikembalikan untuk perbaikan",
    NoticeKind.VERIFIED: "Penilaian mandiri PEKPPP {year} {unit} telah diverifikasi",
}


def public_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, on PUBLIC_BASE_URL (mail.settings_error makes sure it is set)."""
    parts = urlsplit(public_base_url(current_app.config))
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def reminder(user: User, unit: Unit, period: Period, deadline: date, days_left: int, answered: int,
             total: int) -> tuple[str, str]:
    """``answered`` of the ``total`` scored indicators have a level so far."""
    subject = SUBJECTS[NoticeKind.REMINDER].format(year=period.year, unit=unit.short_name, days=days_left)
    body = _body("reminder", user, unit=unit, period=period, deadline=deadline, days_left=days_left,
                 answered=answered, total=total)
    return subject, body


def status_notice(kind: NoticeKind, user: User, assessment: Assessment, reason: str | None) -> tuple[str, str]:
    subject = SUBJECTS[kind].format(year=assessment.period.year, unit=assessment.unit.short_name)
    return subject, _body(kind.value, user, unit=assessment.unit, period=assessment.period, reason=reason)


def _body(template: str, user: User, **context) -> str:
    return render_template(f"notices/{template}.txt", user=user, link=public_url("selfassessment.dashboard"),
                           account_link=public_url("notices.account"), pemda=current_app.config["PEMDA_NAME"], **context)
