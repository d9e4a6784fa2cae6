"""Periods keep their instrument: the migration to 0009 leaves existing periods and their scores alone, and the
demo runs last year on the 2023 file and this year on PEKPPP-2025."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from assessment import create_app
from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH, LATEST_INSTRUMENT_PATH, load_instrument_file
from assessment.domain.instrument_store import import_instrument
from assessment.domain.models import Assessment, DeliveryMode, Period, Unit
from assessment.domain.scoring import score
from assessment.domain.stored_scores import rescore
from assessment.extensions import db
from tests.factories import INSTRUMENT


def test_migration_0009_keeps_every_period_on_its_instrument_and_makes_units_luring(new_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0006")
        tables = sa.MetaData()
        tables.reflect(db.engine)
        now = datetime(2026, 11, 1, 8, 0)
        levels = {indicator.code: (indicator.number * 7) % 6 for indicator in INSTRUMENT.indicators}
        with db.engine.begin() as connection:
            def insert(table, **values):
                connection.execute(tables.tables[table].insert().values(**values))
            # no explicit id: PostgreSQL's sequence must stay ahead of it for the ORM insert below
            insert("instruments", code="PEKPPP-2023", name="PEKPPP", definition=DEFAULT_INSTRUMENT_PATH.read_text(),
                   imported_at=now)
            instrument_id = connection.execute(sa.text("SELECT id FROM instruments")).scalar_one()
            insert("periods", id=1, year=2025, title="2025", instrument_id=instrument_id, opens_on=date(2025, 1, 1),
                   deadline=date(2025, 3, 1), is_open=False, require_evidence=False)
            for unit_id, short in ((1, "Contoh"), (2, "Daring")):
                insert("units", id=unit_id, name=f"Dinas {short}", short_name=short, kind="dinas", active=True)
            insert("assessments", id=1, unit_id=1, period_id=1, status="submitted", created_at=now, updated_at=now)
            for code, level in levels.items():
                insert("answers", assessment_id=1, indicator_code=code, level=level, justification="", updated_at=now,
                       version=1)
        upgrade()  # 0009 and whatever the other branches add after 0006
        assert {u.short_name: u.delivery for u in db.session.scalars(sa.select(Unit))} == {
            "Contoh": DeliveryMode.LURING, "Daring": DeliveryMode.LURING}
        _, created = import_instrument(LATEST_INSTRUMENT_PATH.read_text(encoding="utf-8"))
        db.session.commit()
        period = db.session.get(Period, 1)
        assessment = db.session.get(Assessment, 1)
        assert created and period.instrument_version.code == "PEKPPP-2023" and period.instrument == INSTRUMENT
        assert assessment.instrument == INSTRUMENT and assessment.levels() == levels
        rescore(db.session, sa.true())  # the rows were written without the ORM, after 0006 scored what was there
        assert assessment.stored_self_score() == score(INSTRUMENT, levels)
        unit = db.session.get(Unit, 2)
        unit.delivery = DeliveryMode.BOTH
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Unit, 2).delivery == DeliveryMode.BOTH
        db.session.remove()
        db.engine.dispose()


def test_the_demo_runs_last_year_on_2023_and_this_year_on_the_official_f02(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    current, past = db.session.scalars(sa.select(Period).order_by(Period.year.desc())).all()
    assert past.instrument_version.code == "PEKPPP-2023" and not past.instrument.has_facts
    assert current.instrument_version.code == "PEKPPP-2025" and current.instrument == load_instrument_file(
        LATEST_INSTRUMENT_PATH)
    verified = db.session.scalars(sa.select(Assessment).where(Assessment.period_id == current.id,
                                                              Assessment.status == "verified")).all()
    assert verified and all(a.stored_verified_score() == score(current.instrument, a.verified_levels()) for a in verified)
