"""A busy or unreachable database and requests at the same moment, with real transactions: SQLite in a file
(so that two connections see one database) and PostgreSQL when TEST_DATABASE_URL is set."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import suppress

import pytest
import sqlalchemy as sa

from assessment import create_app
from assessment.domain import answers as selfassessment_services
from assessment.domain import reviews as review_services
from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import Answer, Assessment, AssessmentStatus, AuditEvent, Submission
from assessment.extensions import db
from tests import factories
from tests.clients import Browser
from tests.factories import answer_fields, fill

AUTOSAVE = {"X-Autosave": "1", "Accept": "application/json"}
TYPED = "Penjelasan yang diketik saat basis data sibuk."


@pytest.fixture
def shared_app(request, make_app, shared_database_url):
    """An app on a database other connections reach too. A lock is waited for 0.3 s, so that "busy" comes
    quickly (parametrize indirectly with other seconds)."""
    wait = getattr(request, "param", 0.3)
    options = ({"connect_args": {"options": f"-c lock_timeout={int(wait * 1000)}"}}
               if shared_database_url.startswith("postgresql") else {})
    app = make_app({"WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": shared_database_url, "SQLITE_BUSY_TIMEOUT": wait,
                    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **options}})
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        yield app, world
        db.session.remove()
        if shared_database_url.startswith("sqlite"):
            db.drop_all()


def hold_the_lock(app, world) -> Callable[[], None]:
    """Another connection takes what a save of world.assessment needs; returns the function that lets go."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # SQLite's one write lock
        return lambda: (other.execute("ROLLBACK"), other.close())
    engine = sa.create_engine(url)
    connection = engine.connect()
    connection.execute(sa.text("SELECT id FROM assessments WHERE id = :id FOR UPDATE"), {"id": world.assessment.id})
    return lambda: (connection.rollback(), connection.close(), engine.dispose())


def stored(assessment_id: int, code: str = "1.a.Ak"):
    db.session.expire_all()
    return db.session.scalar(sa.select(Answer.justification).where(Answer.assessment_id == assessment_id,
                                                                  Answer.indicator_code == code))


def test_a_busy_database_answers_503_keeps_the_typed_text_and_the_retry_saves_it(shared_app):
    app, world = shared_app
    browser = Browser(app).log_in("dpmptsp")
    url = f"/penilaian/{world.assessment.id}/aspek/a"
    data = {"action": "autosave", **answer_fields("1.a.Ak", 3, TYPED)}
    release = hold_the_lock(app, world)
    try:
        busy = browser.post(url, data=data, headers=AUTOSAVE)
        assert busy.status_code == 503 and busy.get_json()["retry"] is True
        assert "basis data sedang sibuk" in busy.get_json()["message"]
        page = browser.post(url, data={**data, "action": "save"})  # the save button: the page as typed, 503
        assert page.status_code == 503 and TYPED in page.text and "basis data sedang sibuk" in page.text
    finally:
        release()
    assert stored(world.assessment.id) is None
    retried = browser.post(url, data=data, headers=AUTOSAVE)
    assert retried.status_code == 200 and stored(world.assessment.id) == TYPED


def test_sqlite_waits_15_seconds_for_a_lock_unless_configured_otherwise():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] == 15.0
    with app.app_context():
        assert db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_an_unreachable_database_is_a_503_page_not_a_500():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "JOBS_CHECK_AT_START": False,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=2"})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "1:abc", True  # a logged-in browser: loading its user fails first
    page = client.get("/penilaian")
    assert page.status_code == 503 and "Basis data sedang sibuk atau tidak terjangkau" in page.text
    script = client.post("/penilaian/1/aspek/a", data={"action": "autosave"}, headers=AUTOSAVE)
    assert script.status_code == 503 and script.get_json()["retry"] is True


def at_the_same_moment(monkeypatch, module, function_name: str) -> None:
    """Two requests meet inside ``function_name`` (each waits up to 2 s for the other): without a lock both get
    there; with the assessment locked, the second only arrives once the first has committed."""
    meeting = threading.Barrier(2, timeout=2)
    original = getattr(module, function_name)

    def meet_then_go(*args, **kwargs):
        with suppress(threading.BrokenBarrierError):
            meeting.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, function_name, meet_then_go)


def together(*requests: Callable[[], object]) -> list:
    answers: list = [None] * len(requests)

    def run(index: int) -> None:
        answers[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def count(model, *conditions) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


WAIT_LONGER = pytest.mark.parametrize("shared_app", [10], indirect=True, ids=["lock wait 10 s"])


@WAIT_LONGER
def test_two_kirim_at_the_same_moment_give_one_submission(shared_app, monkeypatch):
    app, world = shared_app
    fill(world.assessment, world.opd)
    db.session.commit()
    at_the_same_moment(monkeypatch, selfassessment_services, "apply_transition")
    browsers = [Browser(app).log_in("dpmptsp") for _ in range(2)]
    url = f"/penilaian/{world.assessment.id}/kirim"
    answers = together(*(lambda b=b: b.post(url, data={"confirm": "y"}, follow_redirects=True) for b in browsers))
    assert sorted(answer.status_code for answer in answers) == [200, 200]
    texts = [answer.text for answer in answers]
    assert sum("berhasil dikirim" in text for text in texts) == 1
    assert sum("tidak dapat diubah lagi" in text for text in texts) == 1
    assert count(Submission, Submission.assessment_id == world.assessment.id) == 1
    assert count(AuditEvent, AuditEvent.action == "assessment.submit") == 1


@WAIT_LONGER
def test_two_verifications_at_the_same_moment_give_one(shared_app, monkeypatch):
    app, world = shared_app
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    factories.mark_verified(world.assessment, world.reviewer)
    world.assessment.status = AssessmentStatus.SUBMITTED  # every indicator reviewed, not yet verified
    db.session.commit()
    factories.make_user("organisasi2", factories.Role.REVIEWER)
    db.session.commit()
    at_the_same_moment(monkeypatch, review_services, "apply_transition")
    browsers = [Browser(app).log_in(name) for name in ("organisasi", "organisasi2")]
    url = f"/organisasi/penilaian/{world.assessment.id}/verifikasi-akhir"
    answers = together(*(lambda b=b: b.post(url, data={"confirm": "y"}, follow_redirects=True) for b in browsers))
    texts = [answer.text for answer in answers]
    assert sum("Penilaian terverifikasi." in text for text in texts) == 1
    assert sum("tidak dapat diverifikasi" in text for text in texts) == 1
    assert count(AuditEvent, AuditEvent.action == "assessment.verify") == 1
    assert db.session.get(Assessment, world.assessment.id).status == AssessmentStatus.VERIFIED


@WAIT_LONGER
def test_two_first_saves_at_the_same_moment_make_one_assessment(shared_app, monkeypatch):
    """The first saved answer creates the assessment; two at once (two people) make exactly one."""
    app, _ = shared_app
    unit = factories.make_unit("Serentak")
    for name in ("serentak1", "serentak2"):
        factories.make_user(name, factories.Role.OPD, unit)
    db.session.commit()
    at_the_same_moment(monkeypatch, selfassessment_services, "find_assessment")
    browsers = [Browser(app).log_in(name) for name in ("serentak1", "serentak2")]
    posts = [{"action": "autosave", **answer_fields(code, 2, f"Pertama {code}")} for code in ("1.a.Ak", "2.a.P")]
    answers = together(*(lambda b=b, p=p: b.post("/penilaian/baru/aspek/a", data=p, headers=AUTOSAVE)
                         for b, p in zip(browsers, posts, strict=True)))
    assert [answer.status_code for answer in answers] == [200, 200]
    (assessment,) = db.session.scalars(sa.select(Assessment).where(Assessment.unit_id == unit.id)).all()
    assert {answer.get_json()["page_url"] for answer in answers} == {f"/penilaian/{assessment.id}/aspek/a"}
    assert stored(assessment.id, "1.a.Ak") == "Pertama 1.a.Ak" and stored(assessment.id, "2.a.P") == "Pertama 2.a.P"
