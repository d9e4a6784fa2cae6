"""Who may reach what once a period's evaluator team is in force: every route of the review, the team, the field
visit and the follow-up pages (app.url_map, rule × method) for each role in the team, against one table.

The team: a ketua holding nothing, an anggota holding the OPD's unit but for aspect B, an anggota holding only
aspect B of it, an anggota holding the other unit, a reviewer outside the team and the admin. A route of those
blueprints without a row fails, as in tests/test_authorization.py (whose helpers and places this reuses).
"""
from __future__ import annotations

import pytest

from assessment.domain.models import AssessmentStatus, Role
from assessment.extensions import db
from tests import factories
from tests.test_authorization import LOGIN, OK, ROUTES, outcome_problem, places, url_for_rule  # noqa: F401  (a fixture)

IDENTITIES = ("anon", "opd", "outsider", "ketua", "anggota_unit", "anggota_aspect", "anggota_other", "admin")
TEAM_BLUEPRINTS = ("review.", "evaluation.", "fieldvisit.", "followup.")

READ = {"anon": LOGIN, "opd": 403, **dict.fromkeys(IDENTITIES[2:], OK)}
# Changing decisions: only who holds a part of the unit (the ketua holds none of it here), and the admin.
DECIDE = {**READ, "outsider": 403, "ketua": 403, "anggota_other": 403}
# Returning, verifying, recommendations: the ketua, the holder of the whole unit, the admin.
CONCLUDE = {**READ, "outsider": 403, "anggota_aspect": 403, "anggota_other": 403}
REASSIGN = {**CONCLUDE, "anggota_unit": 403}
ADMIN = {**REASSIGN, "ketua": 403}
# Recording the field visit: who decides a part of the unit or concludes it (the ketua, the admin).
RECORD_VISIT = {**READ, "outsider": 403, "anggota_other": 403}

EXPECTED = {
    "review.queue": READ,
    "review.review": READ,
    "review.history": READ,
    "review.save_review": DECIDE,
    "review.agree_rest": DECIDE,
    "review.return_": CONCLUDE,
    "review.verify": CONCLUDE,
    "review.add_recommendation": CONCLUDE,
    "review.change_recommendation": CONCLUDE,
    "review.reopen": ADMIN,
    "evaluation.team_page": READ,
    "evaluation.assignments": READ,
    "evaluation.progress": READ,
    "evaluation.assign": REASSIGN,
    "evaluation.save_decree": ADMIN,
    "evaluation.save_member": ADMIN,
    "evaluation.remove_member": ADMIN,
    "evaluation.provisional": {**READ, "opd": OK},
    "evaluation.accept": {**dict.fromkeys(IDENTITIES, 403), "anon": LOGIN, "opd": OK},
    "evaluation.object_to": {**dict.fromkeys(IDENTITIES, 403), "anon": LOGIN, "opd": OK},
    # the objection is on 1.a.Ak, of aspect A: who decides that indicator answers it
    "evaluation.answer": {**DECIDE, "anggota_aspect": 403},
    "evaluation.conversation": {**READ, "opd": OK},
    "evaluation.post_message": {**READ, "opd": OK},  # refused with a reason unless the indicator is theirs
    "fieldvisit.visit": READ,
    "fieldvisit.save_visit": RECORD_VISIT,
    "fieldvisit.save_findings": RECORD_VISIT,
    "fieldvisit.add_photos": RECORD_VISIT,
    "fieldvisit.remove_photo": RECORD_VISIT,
    "followup.index": {**READ, "opd": OK},  # staff are sent on to the monitoring page
    "followup.unit_followup": {**READ, "opd": OK},
    "followup.report": {**dict.fromkeys(IDENTITIES, 403), "anon": LOGIN, "opd": OK},
    "followup.answer": CONCLUDE,  # who concludes the unit answers its follow-up
    "followup.monitoring": READ,
    "followup.monitoring_pdf": READ,
}
TEAM_ROUTES = [route for route in ROUTES if route[0].startswith(TEAM_BLUEPRINTS)]


@pytest.fixture
def team_users(world, places):  # noqa: F811
    """The team as the module's docstring describes it, with the OPD's form submitted."""
    period = world.period
    users = {name: factories.make_user(name.replace("_", "-"), Role.REVIEWER)
             for name in ("outsider", "ketua", "anggota_unit", "anggota_aspect", "anggota_other")}
    factories.add_member(period, users["ketua"], "ketua")
    for name in ("anggota_unit", "anggota_aspect", "anggota_other"):
        factories.add_member(period, users[name])
    factories.assign(period, world.unit, users["anggota_unit"], by=users["ketua"])
    factories.assign(period, world.unit, users["anggota_aspect"], "b", by=users["ketua"])
    factories.assign(period, world.other_unit, users["anggota_other"], by=users["ketua"])
    factories.fill(world.assessment, world.opd)
    world.assessment.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    return {**users, "opd": world.opd, "admin": world.admin}


@pytest.mark.parametrize(("endpoint", "rule", "method"), TEAM_ROUTES, ids=[f"{m} {r}" for _, r, m in TEAM_ROUTES])
def test_route_answers_each_team_role_as_the_table_says(app, places, team_users, endpoint, rule, method):  # noqa: F811
    assert endpoint in EXPECTED, f"Route {endpoint} has no row in tests/test_team_permissions.py EXPECTED."
    row = EXPECTED[endpoint]
    assert set(row) == set(IDENTITIES)
    url = url_for_rule(app, rule, endpoint, places)
    problems = []
    for identity in IDENTITIES:
        client = app.test_client()
        if identity != "anon":
            factories.sign_in(client, team_users[identity])
        with app.app_context():
            response = client.open(url, method=method)
        if problem := outcome_problem(response, row[identity]):
            problems.append(f"{identity}: {problem}")
    assert not problems, f"{method} {url} ({endpoint}): " + "; ".join(problems)


def test_every_row_of_the_table_is_a_route():
    routed = {endpoint for endpoint, _, _ in TEAM_ROUTES}
    assert set(EXPECTED) == routed
