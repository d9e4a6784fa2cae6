"""A GET never changes state, and a PDF keeps its verification code (item 11): generated from app.url_map.

Every GET route, opened by every identity, leaves every table as it was (rows counted, and their content read,
before and after). The one change a GET may make is the first issue of a document: its first download registers
one verification code; downloading it again registers nothing.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.domain.models import IssuedDocument, UserSession
from assessment.extensions import db
from tests.security.conftest import send
from tests.test_authorization import IDENTITIES, ROUTES, client_of, places, url_for_rule  # noqa: F401  (a fixture)

GETS = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET"]
ISSUE_A_CODE = {"reports.scorecard_pdf", "reports.berita_acara_pdf", "reports.recap_pdf", "followup.monitoring_pdf"}
# The session records' "last seen" moves with use (at most once a minute): bookkeeping of the login, not data.
BOOKKEEPING = {UserSession.__tablename__}


def snapshot() -> dict[str, tuple]:
    """Every table: its row count, and (but for the session bookkeeping) its rows."""
    db.session.expire_all()
    state = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            state[table.name] = (len(rows), None if table.name in BOOKKEEPING else sorted(map(repr, rows)))
    return state


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.fixture
def clients(app, world, places):  # noqa: F811
    """One client per identity; the second unit has not started its form (so a GET could create its draft)."""
    db.session.delete(world.other_assessment)
    db.session.commit()
    return {identity: client_of(app, world, identity) for identity in IDENTITIES}


@pytest.mark.parametrize(("endpoint", "rule"), GETS, ids=[rule for _, rule in GETS])
def test_a_get_changes_nothing(app, places, clients, endpoint, rule):  # noqa: F811
    url = url_for_rule(app, rule, endpoint, places)
    problems = []
    for identity, client in clients.items():
        before = snapshot()
        first = send(app, client, "GET", url)
        after = snapshot()
        if endpoint in ISSUE_A_CODE and first.status_code == 200:
            issued_now = after[IssuedDocument.__tablename__][0] - before[IssuedDocument.__tablename__][0]
            if changed(before, after) not in ([], [IssuedDocument.__tablename__]) or issued_now > 1:
                problems.append(f"{identity}: first download changed {changed(before, after)}")
            before = after
            send(app, client, "GET", url)
            after = snapshot()
        if changes := changed(before, after):
            problems.append(f"{identity} ({first.status_code}): {changes}")
    assert not problems, f"GET {url}: " + "; ".join(problems)


def test_one_code_per_distinct_content(app, world, places, clients):  # noqa: F811
    """A draft scorecard reads the same for the reviewer and the admin, and (without the review columns) differently
    for the OPD: two contents, two codes, however often each is downloaded."""
    url = f"/laporan/penilaian/{world.assessment.id}/kartu.pdf"
    for identity in ("opd", "reviewer", "admin", "opd", "reviewer"):
        assert send(app, clients[identity], "GET", url).status_code == 200
    issued = db.session.scalars(sa.select(IssuedDocument.code).where(IssuedDocument.assessment_id == world.assessment.id,
                                                                      IssuedDocument.code != places["code"])).all()
    assert len(issued) == 2
