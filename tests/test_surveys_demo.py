"""The demo holds one unit with enough responses for a full Laporan SKM and one with a few, and migration 0010
upgrades a database that holds periods."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from assessment import create_app
from assessment.domain.formatting import today_wib
from assessment.domain.models import Channel, Period, SurveyResponse, Unit
from assessment.extensions import db
from assessment.surveys.services import unit_survey


def test_the_demo_surveys(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    period = db.session.scalar(sa.select(Period).where(Period.is_open))
    units = {u.short_name: u for u in db.session.scalars(sa.select(Unit))}
    full = unit_survey(units["Disdukcapil"], period, today_wib())
    assert full.total == 140 and full.channels == {"online": 120, "paper": 20}
    assert full.skm.complete and full.f03_shown and full.sample_target == 306
    assert len(full.by_service) == 4 and full.settings.follow_up_plan.startswith("1. Penanganan pengaduan (U8)")
    few = unit_survey(units["Puskesmas Cibeber"], period, today_wib())
    assert few.total == 7 and not few.f03_shown
    assert runner.invoke(args=["demo"]).exit_code == 0  # again: nothing added
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 147
    paper = db.session.scalars(sa.select(SurveyResponse).where(SurveyResponse.channel == Channel.PAPER)).all()
    assert all(response.entered_by is not None and response.form_nonce is None for response in paper)


def test_migration_0010_upgrades_a_database_with_periods(new_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0006")
        tables = sa.MetaData()
        tables.reflect(db.engine)
        with db.engine.begin() as connection:
            connection.execute(tables.tables["instruments"].insert().values(
                id=1, code="x", name="x", definition="x", imported_at=datetime(2026, 1, 1)))
            connection.execute(tables.tables["periods"].insert().values(
                id=1, year=2026, title="2026", instrument_id=1, opens_on=date(2026, 1, 1), deadline=date(2026, 3, 1),
                is_open=True, require_evidence=True))
        upgrade(revision="0010")
        with db.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT survey_min_respondents, f03_share FROM periods")).one()
        assert tuple(row) == (10, 0)
        db.session.remove()
        db.engine.dispose()
