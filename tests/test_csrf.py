"""With CSRF protection on (as in production), a POST without the token changes nothing."""
import re

import pytest
import sqlalchemy as sa

from assessment.domain.models import Answer
from assessment.extensions import db
from tests import factories


@pytest.fixture
def csrf_app(make_app):
    app = make_app({"SECRET_KEY": "csrf-test"})
    assert app.config.get("WTF_CSRF_ENABLED", True)
    with app.app_context():
        yield app


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_post_without_token_is_refused_and_saves_nothing(csrf_app):
    world = factories.make_world()
    client = csrf_app.test_client()
    refused = client.post("/masuk", data={"username": "dpmptsp", "password": factories.PASSWORD})
    assert refused.status_code == 400 and "Formulir kedaluwarsa" in refused.text

    token = token_from(client.get("/masuk").text)
    logged_in = client.post("/masuk", data={"username": "dpmptsp", "password": factories.PASSWORD, "csrf_token": token})
    assert logged_in.status_code == 302

    url = f"/penilaian/{world.assessment.id}/aspek/a"
    answer = {**factories.answer_fields("1.a.Ak", 5, "tanpa token"), "action": "save"}
    assert client.post(url, data=answer).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0

    accepted = client.post(url, data={**answer, "csrf_token": token_from(client.get(url).text)})
    assert accepted.status_code == 302
    assert db.session.scalar(sa.select(Answer.level)) == 5
