"""Item 6: a body that is not a form (JSON above all) to any form endpoint answers 400, whoever sends it.

The endpoints are every POST route of app.url_map (tests/test_authorization.py builds their URLs).
"""
from __future__ import annotations

import json
import re

import pytest

from assessment.extensions import db
from tests import factories
from tests.security.conftest import send
from tests.test_authorization import ROUTES, places, url_for_rule  # noqa: F401  (places is a fixture)

POSTS = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "POST"]
NESTED = "[" * 500 + "]" * 500
BODIES = [
    ("application/json", "[1,2,3]"),
    ("application/json", "123"),
    ("application/json", NESTED),
    ("application/json", json.dumps({"username": {"a": [1]}, "password": ["x"], "action": None})),
    ("application/json", "{not json"),
    ("text/plain", "username=dpmptsp&password=x"),
    ("application/xml", "<form><username>dpmptsp</username></form>"),
]


@pytest.mark.parametrize(("endpoint", "rule"), POSTS, ids=[rule for _, rule in POSTS])
def test_a_non_form_body_is_refused_with_400(app, world, places, endpoint, rule):  # noqa: F811
    url = url_for_rule(app, rule, endpoint, places)
    clients = {"anon": app.test_client()}
    for user in (world.opd, world.reviewer, world.admin):
        clients[user.username] = app.test_client()
        factories.sign_in(clients[user.username], user)
    problems = [f"{who} {content_type} {body[:20]!r}: {response.status_code}"
                for who, client in clients.items() for content_type, body in BODIES
                if (response := send(app, client, "POST", url, data=body, content_type=content_type)).status_code != 400]
    assert not problems, f"POST {url}: " + "; ".join(problems)


def test_with_csrf_on_as_in_production_json_is_a_400_too(make_app):
    app = make_app({"SECRET_KEY": "security-test"})
    with app.app_context():
        factories.make_world()
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/masuk").text).group(1)
        answer = client.post("/masuk", data="[1,2,3]", content_type="application/json", headers={"X-CSRFToken": token})
        assert answer.status_code == 400 and "tidak lengkap atau tidak sah" in answer.text


@pytest.mark.parametrize("multipart", [False, True])
def test_form_posts_still_work_whatever_their_encoding(app, browser, world, multipart):
    """The autosave posts urlencoded or multipart bodies: never refused here."""
    client = browser(world.opd)
    encoding = {"content_type": "multipart/form-data"} if multipart else {}
    response = send(app, client, "POST", f"/penilaian/{world.assessment.id}/aspek/a",
                    data={"action": "save", "1_a_Ak-level": "3", "1_a_Ak-justification": "SK ada.", "1_a_Ak-version": "0"}, **encoding)
    assert response.status_code == 302
    db.session.expire_all()
    assert world.assessment.answers["1.a.Ak"].level == 3
