"""The Alembic migrations build exactly the schema the models describe, and undo it, on SQLite and on PostgreSQL.

Every revision is also upgraded from a populated database: the database is built with the migrations up to
that revision, every table then gets rows (values chosen from each column's type, so tables and columns that
later migrations add are filled too), and the upgrade to head must keep every row; the downgrade back to
that revision must work with the rows in place.
"""
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from assessment import MIGRATIONS, create_app
from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH
from assessment.domain.models import Assessment
from assessment.domain.scoring import score
from assessment.extensions import db
from tests.factories import INSTRUMENT

REVISIONS = [script.revision for script in reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions()))]
ROWS_PER_TABLE = 2
CODES = [indicator.code for indicator in INSTRUMENT.indicators]
# Columns whose values mean something to the app (or to a migration that reads them); every other column gets
# a value made from its type. The second row of each table differs from the first wherever a value must be unique.
MEANINGFUL = {
    "definition": lambda n: DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8"),
    "kind": lambda n: "dinas",
    "role": lambda n: "opd",
    "status": lambda n: ("verified", "draft")[n - 1],
    "decision": lambda n: ("agree", "change")[n - 1],
    "indicator_code": lambda n: CODES[n - 1],
    "level": lambda n: n,
    "verified_level": lambda n: n,
    "year": lambda n: 2023 + n,
    "mime_type": lambda n: "application/pdf",
    "sha256": lambda n: "0" * 64,
    "scores": lambda n: None,  # filled by migration 0006 from the answers
}


def _value(column: sa.Column, n: int):
    if column.name in MEANINGFUL:
        return MEANINGFUL[column.name](n)
    if column.foreign_keys:
        return n  # every table's rows have ids 1 and 2
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return n
    if isinstance(kind, sa.Numeric):
        return Decimal(n)
    if isinstance(kind, sa.DateTime):
        return datetime(2025, 1, n, 8, 0)
    if isinstance(kind, sa.Date):
        return date(2025, 1, n)
    if isinstance(kind, sa.JSON):
        return {"isi": n}
    if isinstance(kind, sa.LargeBinary):
        return b"\x89PNG\r\n\x1a\n"
    if isinstance(kind, sa.String) and kind.length:  # short strings are often unique: names, codes, tokens
        return f"{column.name[:6]}{n}"[: kind.length]
    return f"Baris {n} kolom {column.name}.\r\nBaris kedua dari penjelasan."  # long text, with a browser's CRLF


def fill_every_table(engine: sa.Engine) -> dict[str, int]:
    """Two rows in every table of the schema as it is now; returns the row count per table (by table name)."""
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            for n in range(1, ROWS_PER_TABLE + 1):
                pk = {column.name: f"{table.name}{n}"[: column.type.length] if isinstance(column.type, sa.String) else n
                      for column in table.primary_key.columns}
                connection.execute(table.insert().values(
                    {column.name: _value(column, n) for column in table.columns if column.name not in pk} | pk))
    return {name: ROWS_PER_TABLE for name in tables.tables if name != "alembic_version"}


def row_counts(engine: sa.Engine, names) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in names}


def migration_app(url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})


def test_migrations_match_the_models_and_downgrade_to_base(new_database):
    app = migration_app(new_database())
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_a_populated_database_at_every_revision_upgrades_to_head_and_back(new_database, revision):
    app = migration_app(new_database())
    with app.app_context():
        upgrade(revision=revision)
        scored_by_migration = all(column["name"] != "scores" for column in sa.inspect(db.engine).get_columns("assessments"))
        filled = fill_every_table(db.engine)
        upgrade()
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == REVISIONS[-1]
            if REVISIONS.index(revision) < REVISIONS.index("0007"):  # texts are stored with LF from 0007 on
                assert connection.scalar(sa.text("SELECT count(*) FROM answers WHERE justification LIKE :crlf"),
                                         {"crlf": "%\r\n%"}) == 0
        assert row_counts(db.engine, filled) == filled
        assessment = db.session.get(Assessment, 1)
        if scored_by_migration:  # rows from before 0006 were scored by it, as the app would
            assert assessment.stored_self_score() == score(INSTRUMENT, assessment.levels())
        db.session.remove()
        downgrade(revision=revision)
        assert row_counts(db.engine, filled) == filled
        db.engine.dispose()


def test_an_sqlite_upgrade_that_fails_changes_nothing(tmp_path, capfd):
    """All or nothing: a database whose rows point nowhere stops the upgrade, which leaves it as it was."""
    app = migration_app(f"sqlite:///{tmp_path / 'broken.sqlite'}")
    with app.app_context():
        upgrade(revision="0004")
        filled = fill_every_table(db.engine)
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("UPDATE answers SET assessment_id = 99 WHERE id = 2")
            connection.commit()
        with pytest.raises(SystemExit):  # `flask db upgrade` ends with exit code 1 and says why
            upgrade()
        assert "Migrasi dibatalkan: 1 baris menunjuk ke baris yang tidak ada" in capfd.readouterr().err
        inspector = sa.inspect(db.engine)
        assert "evidence_files" not in inspector.get_table_names()  # created by 0005, rolled back
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0004"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert row_counts(db.engine, filled) == filled
        db.engine.dispose()


def test_migration_0006_scores_the_assessments_already_there(new_database):
    """A database at 0005 with a verified assessment: after the upgrade its stored scores are the scoring module's."""
    app = migration_app(new_database())
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
