"""The Alembic migrations build exactly the schema the models describe, and undo it, on SQLite and on PostgreSQL."""
from datetime import date, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from assessment import create_app
from assessment.extensions import db
from assessment.instrument import DEFAULT_INSTRUMENT_PATH
from assessment.models import Assessment
from assessment.scoring import score
from tests.factories import INSTRUMENT


def test_migrations_match_the_models_and_downgrade_to_base(new_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_migration_0006_scores_the_assessments_already_there(new_database):
    """A database at 0005 with a verified assessment: after the upgrade its stored scores are the scoring module's."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0005")
        tables = sa.MetaData()
        tables.reflect(db.engine)
        now = datetime(2026, 11, 1, 8, 0)
        levels = {indicator.code: indicator.number % 6 for indicator in INSTRUMENT.indicators}
        with db.engine.begin() as connection:
            def insert(table, **values):
                connection.execute(tables.tables[table].insert().values(**values))
            insert("instruments", id=1, code="pekppp-2023", name="PEKPPP", definition=DEFAULT_INSTRUMENT_PATH.read_text(),
                   imported_at=now)
            insert("periods", id=1, year=2025, title="2025", instrument_id=1, opens_on=date(2025, 1, 1),
                   deadline=date(2025, 3, 1), is_open=False, require_evidence=False)
            insert("units", id=1, name="Dinas Contoh", short_name="Contoh", kind="dinas", active=True)
            insert("assessments", id=1, unit_id=1, period_id=1, status="verified", created_at=now, updated_at=now)
            for code, level in levels.items():
                insert("answers", assessment_id=1, indicator_code=code, level=level, justification="", updated_at=now,
                       version=1)
                insert("reviews", assessment_id=1, indicator_code=code, decision="change" if code == "1.a.Ak" else "agree",
                       verified_level=0 if code == "1.a.Ak" else None, note="", updated_at=now, version=1)
        upgrade()
        assessment = db.session.get(Assessment, 1)
        assert assessment.stored_self_score() == score(INSTRUMENT, levels)
        assert assessment.stored_verified_score() == score(INSTRUMENT, levels | {"1.a.Ak": 0}) == score(
            INSTRUMENT, assessment.verified_levels())
        assert assessment.updated_at == now  # scoring again is nobody's change
        db.session.remove()
        db.engine.dispose()


def test_migration_0011_keeps_the_accounts_already_there(new_database):
    """Accounts of a database at 0006 come through with no address and notices on; the outbox starts empty."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0006")
        users = sa.Table("users", sa.MetaData(), autoload_with=db.engine)
        with db.engine.begin() as connection:
            connection.execute(users.insert().values(id=7, username="kepala", full_name="Kepala Dinas", password_hash="x",
                                                     role="opd", active=True, must_change_password=False))
        upgrade(revision="0011")
        with db.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT username, email, email_notices FROM users")).one()
            assert tuple(row) == ("kepala", None, True)
            assert connection.execute(sa.text("SELECT count(*) FROM outbox")).scalar() == 0
        db.engine.dispose()
