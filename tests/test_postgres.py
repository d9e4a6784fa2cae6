"""The test database itself: on PostgreSQL a throw-away database per session, and on either kind every test
starts from empty tables whose ids count from 1 again."""
import pytest
import sqlalchemy as sa

from assessment.extensions import db
from tests import factories


@pytest.mark.requires_postgres
def test_the_session_runs_on_its_own_throw_away_postgresql_database(app):
    assert db.engine.dialect.name == "postgresql"
    assert db.engine.url.database.startswith("pekppp_test_")


@pytest.mark.parametrize("run", ["first", "second"])
def test_every_test_starts_with_empty_tables_and_ids_from_one(app, run):
    with db.engine.connect() as connection:
        assert all(connection.scalar(sa.select(sa.func.count()).select_from(table)) == 0
                   for table in db.metadata.sorted_tables)
    world = factories.make_world()  # committed: the next run must not see it
    assert (world.unit.id, world.period.id, world.opd.id) == (1, 1, 1)
