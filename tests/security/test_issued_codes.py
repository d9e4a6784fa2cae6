"""Item 11: one verification code per distinct document content, even when two requests issue it at once."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from assessment import create_app
from assessment.domain.models import IssuedDocument
from assessment.extensions import db
from assessment.reports.scorecard import scorecard
from assessment.web.printing.documents import issue, prepare


def codes() -> list[str]:
    return list(db.session.scalars(sa.select(IssuedDocument.code)))


def test_the_second_of_two_requests_issuing_the_same_content_gets_the_first_ones_code(app, world, tmp_path):
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "cache")
    with app.test_request_context():
        document = scorecard(world.assessment)
        first = prepare(document)  # request A: no entry yet, registers one
        # request B looked a moment before A committed, found nothing, and registers the same content now
        second = issue(scorecard(world.assessment), first.key)
    assert codes() == [first.stamp.code] == [second.code]


def test_migration_0008_keeps_every_printed_code_and_makes_the_content_unique(new_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0006")
        issued = sa.table("issued_documents", *(sa.column(name) for name in (
            "id", "code", "kind", "content_hash", "title", "figures", "generated_at")))
        with db.engine.begin() as connection:
            for number, code in enumerate(("AAAA-BBBB-C1", "AAAA-BBBB-C2", "AAAA-BBBB-C3"), start=1):
                connection.execute(issued.insert().values(
                    id=number, code=code, kind="kartu", content_hash="a" * 64 if number < 3 else "b" * 64,
                    title="Kartu", figures="{}", generated_at=datetime(2026, 11, 1)))
        upgrade()
        rows = db.session.execute(sa.select(IssuedDocument.code, IssuedDocument.content_hash)
                                  .order_by(IssuedDocument.id)).all()
        assert [code for code, _ in rows] == ["AAAA-BBBB-C1", "AAAA-BBBB-C2", "AAAA-BBBB-C3"]  # still verifiable
        assert rows[0].content_hash == "a" * 64 and rows[2].content_hash == "b" * 64
        assert rows[1].content_hash not in ("a" * 64, "b" * 64)  # the duplicate is no content's entry any more
        indexes = {index["name"]: index["unique"] for index in sa.inspect(db.engine).get_indexes("issued_documents")}
        assert indexes["ix_issued_documents_content_hash"]
        db.session.remove()
        db.engine.dispose()
