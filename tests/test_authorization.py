"""Who may reach what: every route of app.url_map (rule × method) for five identities, against one table.

A route without a row in EXPECTED fails, so a new page cannot ship without deciding who may open it.
Only the access outcome is checked: POSTs carry an empty form (CSRF is off in the test app), so an
allowed POST may answer 200, 302 or 400; none may answer 500.
"""
from __future__ import annotations

import pytest

from assessment import create_app
from assessment.domain.evidence.storage import stage
from assessment.domain.models import EvidenceFile, IssuedDocument, Objection, Recommendation, ReportJob, VerificationWindow
from assessment.extensions import db
from assessment.reports.pack import packs_dir
from tests import factories

IDENTITIES = ("anon", "opd", "other_opd", "reviewer", "admin")
LOGIN, OK = "redirect to /masuk", "allowed"  # besides 403 and 404

EVERYONE = dict.fromkeys(IDENTITIES, OK)
LOGGED_IN = {**EVERYONE, "anon": LOGIN}
# The OPD's own unit's data; another unit's answers 404 so its ids stay secret; staff see every unit.
OWN_UNIT = {**LOGGED_IN, "other_opd": 404}
OPD_ONLY = {"anon": LOGIN, "opd": OK, "other_opd": OK, "reviewer": 403, "admin": 403}
STAFF = {"anon": LOGIN, "opd": 403, "other_opd": 403, "reviewer": OK, "admin": OK}
ADMIN = {**STAFF, "reviewer": 403}

EXPECTED: dict[str, dict] = {
    # a row, or {method: row} where the methods differ
    "health.check": EVERYONE,  # the load balancer's probe
    "favicon": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": LOGGED_IN,
    "auth.change_password": LOGGED_IN,
    "notices.account": LOGGED_IN,
    "notices.outbox": ADMIN,
    "selfassessment.home": LOGGED_IN,
    "selfassessment.dashboard": OPD_ONLY,
    "selfassessment.section": OWN_UNIT,
    "selfassessment.save_section": {**OWN_UNIT, "reviewer": 403, "admin": 403},
    "selfassessment.summary": OWN_UNIT,
    "selfassessment.submit": {**OPD_ONLY, "other_opd": 404},
    "review.queue": STAFF,
    "review.review": STAFF,
    "review.save_review": STAFF,
    "review.agree_rest": STAFF,
    "review.return_": STAFF,
    "review.verify": STAFF,
    "review.reopen": ADMIN,
    "review.history": STAFF,
    "review.add_recommendation": STAFF,
    "review.change_recommendation": STAFF,
    "evaluation.team_page": STAFF,
    "evaluation.save_decree": ADMIN,
    "evaluation.save_member": ADMIN,
    "evaluation.remove_member": ADMIN,
    "evaluation.assignments": STAFF,
    "evaluation.assign": ADMIN,  # the admin, or the ketua of the period's team (tests/test_team_permissions.py)
    "evaluation.progress": STAFF,
    "evaluation.provisional": OWN_UNIT,
    "evaluation.accept": {**OPD_ONLY, "other_opd": 404},
    "evaluation.object_to": {**OPD_ONLY, "other_opd": 404},
    "evaluation.answer": STAFF,
    "evaluation.conversation": OWN_UNIT,
    "followup.index": LOGGED_IN,  # the unit's own recommendations; staff are sent on to the monitoring page
    "followup.unit_followup": OWN_UNIT,
    "followup.report": {**OPD_ONLY, "other_opd": 404},
    "followup.answer": STAFF,  # and only who concludes the unit (tests/test_followup.py)
    "followup.monitoring": STAFF,
    "followup.monitoring_pdf": STAFF,
    "evaluation.post_message": OWN_UNIT,  # who may write on which note, and when: tests/test_conversation.py
    "fieldvisit.visit": STAFF,  # the evaluators' record; who may change it: tests/test_team_permissions.py
    "fieldvisit.save_visit": STAFF,
    "fieldvisit.save_findings": STAFF,
    "fieldvisit.add_photos": STAFF,
    "fieldvisit.remove_photo": STAFF,
    "results.index": STAFF,
    "results.unit_history": OWN_UNIT,
    "results.export_excel": STAFF,
    "reports.scorecard_pdf": OWN_UNIT,
    "reports.berita_acara_pdf": OWN_UNIT,
    "reports.recap_pdf": STAFF,
    "reports.start_pack": STAFF,
    "reports.pack_status": STAFF,
    "reports.pack_download": STAFF,
    "reports.verify": EVERYONE,  # public: the QR code on a printed document leads here
    "reports.settings": ADMIN,
    "evidence.download": OWN_UNIT,
    "evidence.bundle": OWN_UNIT,
    "periods.index": ADMIN,
    "periods.create": ADMIN,
    "periods.edit": ADMIN,
    "periods.toggle": ADMIN,
    "periods.confirm_close": ADMIN,
    "periods.extend": ADMIN,
    "admin.units": ADMIN,
    "admin.new_unit": ADMIN,
    "admin.edit_unit": ADMIN,
    "admin.set_unit_active": ADMIN,
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.set_user_active": ADMIN,
    "admin.reset_password": ADMIN,
    "admin.import_upload": ADMIN,
    "admin.import_confirm": ADMIN,
    "admin.import_example": ADMIN,
    "admin.instruments": ADMIN,
    "admin.upload_instrument": ADMIN,
    "admin.bundled_instrument": ADMIN,
    "admin.store_instrument_version": ADMIN,
    "admin.instrument_version": ADMIN,
    "admin.instrument_workbook": ADMIN,
    "instrument_pages.current": LOGGED_IN,
    "survey_public.form": EVERYONE,  # public: the QR code on the unit's poster leads here
    "survey_public.thanks": EVERYONE,
    "surveys.home": LOGGED_IN,
    "surveys.overview": STAFF,
    "surveys.period_settings": ADMIN,
    "surveys.unit": OWN_UNIT,
    "surveys.poster": OWN_UNIT,
    "surveys.report": OWN_UNIT,
    "surveys.export": OWN_UNIT,
    "surveys.unit_settings": {**OPD_ONLY, "other_opd": 404},  # the unit runs its own survey
    "surveys.follow_up": {**OPD_ONLY, "other_opd": 404},
    "surveys.paper": {**OPD_ONLY, "other_opd": 404},
    "surveys.attach": {**OPD_ONLY, "other_opd": 404},
    "resume.token": LOGGED_IN,
    "resume.resumed": LOGGED_IN,
}
# The "baru" form of a unit that has not started: each OPD reaches its own unit's (there is no id to hide).
NOT_STARTED_FORM = {**LOGGED_IN, "reviewer": 404, "admin": 404}
BY_RULE: dict[str, dict] = {
    "/penilaian/baru/aspek/<key>": {"GET": NOT_STARTED_FORM, "POST": {**LOGGED_IN, "reviewer": 403, "admin": 403}},
    "/penilaian/baru/ringkasan": NOT_STARTED_FORM,
}
NOT_CHECKED = {"static"}  # files, the same for everyone


def _routes() -> list[tuple[str, str, str]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "routes", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_CHECKED
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


ROUTES = _routes()


@pytest.fixture
def places(app, world, tmp_path):
    """A value for every URL argument, each naming something of the OPD's own unit (world.unit)."""
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "cache"), PACKS_DIR=str(tmp_path / "packs"),
                      EVIDENCE_DIR=str(tmp_path / "evidence"))
    app.extensions["pekppp_jobs"].enqueue = lambda job_id: None  # an allowed "start the pack" builds nothing
    recommendation = Recommendation(assessment_id=world.assessment.id, text="Lengkapi maklumat pelayanan.")
    job = ReportJob(id="job-selesai", kind="paket-rapat", period_id=world.period.id, status="done", file_name="paket.pdf")
    issued = IssuedDocument(code="ABCD-EFGH-JK", kind="kartu", content_hash="0" * 64, assessment_id=world.assessment.id,
                            period_id=world.period.id, title="Kartu hasil", figures={"IPP": "0,00"})
    evidence = EvidenceFile(assessment_id=world.assessment.id, indicator_code="1.a.Ak", original_name="sop.pdf",
                            stored_name=stage(db.session(), world.assessment.id, b"%PDF-1.4\n", "pdf"),
                            mime_type="application/pdf", size=9, sha256="0" * 64)
    window = VerificationWindow(assessment_id=world.assessment.id, closes_on=world.period.deadline)
    objection = Objection(window=window, indicator_code="1.a.Ak", provisional_level=2, reason="SK sudah terbit.")
    db.session.add_all([recommendation, job, issued, evidence, window, objection])
    db.session.commit()
    (packs_dir() / f"{job.id}.pdf").write_bytes(b"%PDF-1.4\n")
    return {
        "assessment_id": world.assessment.id, "unit_id": world.unit.id, "user_id": world.opd.id,
        "period_id": world.period.id, "year": world.period.year, "recommendation_id": recommendation.id,
        "job_id": job.id, "code": issued.code, "evidence_id": evidence.id, "key": "a", "subject": "unit", "action": "ubah",
        "version_code": world.period.instrument_version.code, "name": "pekppp-2025.yaml", "objection_id": objection.id,
    }


def url_for_rule(app, rule_text: str, endpoint: str, places: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text and r.endpoint == endpoint)
    needed = rule.arguments - set(rule.defaults or {})
    missing = needed - set(places)
    assert not missing, f"Route {endpoint} ({rule_text}) takes {sorted(missing)}: add a value to the places fixture."
    return rule.build({name: places[name] for name in needed}, append_unknown=False)[1]


def client_of(app, world, identity: str):
    client = app.test_client()
    user = {"opd": world.opd, "other_opd": world.other_opd, "reviewer": world.reviewer, "admin": world.admin}.get(identity)
    if user is not None:
        factories.sign_in(client, user)
    return client


def expected_row(endpoint: str, rule: str, method: str) -> dict:
    if endpoint not in EXPECTED:
        pytest.fail(f"Route {endpoint} has no row in tests/test_authorization.py EXPECTED: decide who may open it.")
    row = BY_RULE.get(rule, EXPECTED[endpoint])
    return row.get(method, row) if set(row) <= {"GET", "POST"} else row


def outcome_problem(response, expected) -> str | None:
    status, location = response.status_code, response.headers.get("Location", "")
    sent_to_login = status == 302 and location.startswith("/masuk?next=")  # a plain /masuk ends a logout
    if status >= 500:
        return f"answered {status}"
    if expected == LOGIN:
        return None if sent_to_login else f"answered {status} {location}, not the login"
    if expected in (403, 404):
        return None if status == expected else f"answered {status}, not {expected}"
    if status in (401, 403, 404) or sent_to_login:
        return f"refused with {status} {location}"
    return None


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{m} {r}" for _, r, m in ROUTES])
def test_route_answers_each_identity_as_the_table_says(app, world, places, endpoint, rule, method):
    row = expected_row(endpoint, rule, method)
    assert set(row) == set(IDENTITIES), f"Row for {endpoint} must name exactly {IDENTITIES}"
    url = url_for_rule(app, rule, endpoint, places)
    # In this order, so a change made by an allowed identity (the admin last) cannot hide a refusal.
    problems = []
    for identity in IDENTITIES:
        client = client_of(app, world, identity)
        with app.app_context():  # a fresh flask.g: Flask-Login keeps the current user there
            response = client.open(url, method=method)
        if problem := outcome_problem(response, row[identity]):
            problems.append(f"{identity}: {problem}")
    assert not problems, f"{method} {url} ({endpoint}): " + "; ".join(problems)


def test_every_row_of_the_table_is_a_route():
    routed = {endpoint for endpoint, _, _ in ROUTES}
    assert not set(EXPECTED) - routed, f"Rows without a route (renamed or removed?): {sorted(set(EXPECTED) - routed)}"
