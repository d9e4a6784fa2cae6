"""What official letters print: numbers and dates in words, NIP in groups, and the Berita Acara's Nomor."""
import threading
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from assessment import create_app
from assessment.domain.answers import assessment_for
from assessment.domain.formatting import nip, nomor_pattern_error, nomor_surat, tanggal_huruf, terbilang, today_wib
from assessment.domain.models import Assessment, AssessmentStatus, BeritaAcaraNumber, Period
from assessment.domain.numbering import current_number, replaced_number
from assessment.domain.reviews import reopen_assessment, verify_assessment
from assessment.extensions import db
from tests.factories import fill, make_unit, mark_verified

WORDS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
         "sembilan": 9}


def words_to_number(text: str) -> int:
    """Read Indonesian number words back, written independently of the code under test."""
    total, group, words = 0, 0, text.split()
    for word in words:
        if word in WORDS:
            group += WORDS[word]
        elif word == "sepuluh":
            group += 10
        elif word == "sebelas":
            group += 11
        elif word == "belas":
            group = group - group % 10 + (group % 10 + 10)
        elif word == "puluh":
            group = group - group % 10 + (group % 10) * 10
        elif word == "seratus":
            group += 100
        elif word == "ratus":
            group = group - group % 10 + (group % 10) * 100
        elif word == "seribu":
            total += 1000
        elif word == "ribu":
            total, group = total + group * 1000, 0
        elif word == "juta":
            total, group = total + group * 1_000_000, 0
        else:
            raise ValueError(word)
    return total + group


@pytest.mark.parametrize(("number", "words"), [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"), (19, "sembilan belas"),
    (20, "dua puluh"), (21, "dua puluh satu"), (31, "tiga puluh satu"), (100, "seratus"), (101, "seratus satu"),
    (111, "seratus sebelas"), (200, "dua ratus"), (1000, "seribu"), (1001, "seribu satu"),
    (1945, "seribu sembilan ratus empat puluh lima"),
    (2000, "dua ribu"), (2026, "dua ribu dua puluh enam"), (11000, "sebelas ribu"), (1_000_000, "satu juta"),
])
def test_numbers_in_words_follow_the_worked_examples(number, words):
    assert terbilang(number) == words


def test_numbers_in_words_read_back_to_the_same_number():
    """Both ways: every day of a month and every year a period may have, written and read back."""
    for number in [*range(0, 1200), *range(1900, 2101), 10_000, 99_999, 123_456]:
        assert words_to_number(terbilang(number)) == number, terbilang(number)


@pytest.mark.parametrize(("day", "words"), [
    (date(2026, 11, 22), "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam"),
    (date(2025, 11, 20), "Kamis tanggal dua puluh bulan November tahun dua ribu dua puluh lima"),
    (date(2026, 1, 1), "Kamis tanggal satu bulan Januari tahun dua ribu dua puluh enam"),
    # a stored timestamp is UTC: 18.00 UTC on 21 November is already Sunday the 22nd in Jakarta
    (datetime(2026, 11, 21, 18, 0), "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam"),
    (datetime(2026, 11, 21, 16, 59), "Sabtu tanggal dua puluh satu bulan November tahun dua ribu dua puluh enam"),
])
def test_the_day_in_words_as_a_berita_acara_writes_it(day, words):
    assert tanggal_huruf(day) == words


@pytest.mark.parametrize(("value", "shown"), [
    ("197203151996031002", "19720315 199603 1 002"), ("", "–"), (None, "–"), ("12345", "12345"),
])
def test_nip_is_printed_in_groups_of_8_6_1_3(value, shown):
    assert nip(value) == shown


def test_nomor_follows_its_pattern():
    assert nomor_surat("700/{nomor}/BA-PEKPPP/Org/{tahun}", 7, 2026, 11) == "700/7/BA-PEKPPP/Org/2026"
    assert nomor_surat("B-{nomor}/Org/{bulan}/{tahun}", 12, 2026, 4) == "B-12/Org/IV/2026"


@pytest.mark.parametrize("pattern", ["700/BA/{tahun}", "700/{nomor}/{nomor}/{tahun}", "700/{nomor}/BA",
                                     "{nomor}/{tahun}/{unit}", "{nomor}/{tahun}/{0}", "{nomor.__class__}/{tahun}"])
def test_a_pattern_without_its_places_or_with_unknown_ones_is_refused(pattern):
    assert nomor_pattern_error(pattern)


def test_a_good_pattern_passes():
    assert nomor_pattern_error("700/{nomor}/BA-PEKPPP/Org/{bulan}/{tahun}") is None


def _verify(world, assessment, opd):
    fill(assessment, opd)
    mark_verified(assessment, world.reviewer)
    db.session.commit()


def test_verification_gives_the_next_number_with_the_periods_pattern(world):
    world.period.ba_number_pattern = "700/{nomor}/BA-PEKPPP/Org/{tahun}"
    db.session.commit()
    _verify(world, world.assessment, world.opd)
    _verify(world, world.other_assessment, world.other_opd)
    first, second = current_number(world.assessment), current_number(world.other_assessment)
    assert (first.number, second.number) == (1, 2)
    assert first.nomor == f"700/1/BA-PEKPPP/Org/{world.period.year}"
    db.session.refresh(world.period)
    assert world.period.ba_last_number == 2


def test_a_reopened_assessment_verified_again_gets_a_new_number_and_the_old_one_is_never_given_again(world):
    _verify(world, world.assessment, world.opd)
    reopen_assessment(world.assessment, world.admin, "Koreksi data")
    db.session.commit()
    assert world.assessment.status == AssessmentStatus.SUBMITTED
    _verify(world, world.other_assessment, world.other_opd)  # takes number 2 meanwhile
    verify_assessment(world.assessment, world.reviewer)  # the review page's service, this time
    db.session.commit()
    assert current_number(world.assessment).number == 3
    assert replaced_number(world.assessment).number == 1
    numbers = db.session.scalars(sa.select(BeritaAcaraNumber.number).order_by(BeritaAcaraNumber.number)).all()
    assert numbers == [1, 2, 3]


def test_saving_a_verified_assessment_again_takes_no_number(world):
    _verify(world, world.assessment, world.opd)
    world.assessment.returned_reason = "tidak mengubah status"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BeritaAcaraNumber)) == 1


def test_a_verification_rolled_back_leaves_no_number(world):
    fill(world.assessment, world.opd)
    db.session.commit()
    mark_verified(world.assessment, world.reviewer)  # flushes: the number is taken inside the transaction
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BeritaAcaraNumber)) == 0
    assert db.session.get(Period, world.period.id).ba_last_number == 0
    _verify(world, world.assessment, world.opd)
    assert current_number(world.assessment).number == 1


@pytest.mark.requires_postgres
def test_verifications_at_the_same_moment_get_different_numbers(world):
    """Eight transactions verify eight units of one period and commit together: numbers 1 to 8, none twice."""
    ids = [assessment_for(make_unit(f"Unit{n}"), world.period).id for n in range(8)]
    db.session.commit()
    engine = db.engine
    barrier = threading.Barrier(len(ids))
    failures = []

    def verify(assessment_id: int) -> None:
        try:
            with Session(engine) as session:
                assessment = session.get(Assessment, assessment_id)
                assessment.status, assessment.verified_at = AssessmentStatus.VERIFIED, datetime(2026, 11, 22, 3)
                barrier.wait(timeout=20)  # all flush (and take their number) at once
                session.flush()
                session.commit()
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=verify, args=(assessment_id,)) for assessment_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    numbers = db.session.scalars(sa.select(BeritaAcaraNumber.number).order_by(BeritaAcaraNumber.number)).all()
    assert numbers == list(range(1, len(ids) + 1))
    assert {row.assessment_id for row in db.session.scalars(sa.select(BeritaAcaraNumber))} == set(ids)


def test_migration_0012_numbers_the_assessments_verified_before_it(new_database):
    """A database at 0011 with two verified units and a draft: numbers 1 and 2 in the order of verification, the
    counter at 2, so the next verification takes 3."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": new_database()})
    with app.app_context():
        upgrade(revision="0011")
        tables = sa.MetaData()
        tables.reflect(db.engine)
        now = datetime(2026, 11, 1, 8, 0)
        with db.engine.begin() as connection:
            def insert(table, **values):
                connection.execute(tables.tables[table].insert().values(**values))
            insert("instruments", id=1, code="pekppp-2023", name="PEKPPP", definition="{}", imported_at=now)
            insert("periods", id=1, year=2025, title="2025", instrument_id=1, opens_on=date(2025, 1, 1),
                   deadline=date(2025, 3, 1), is_open=False, require_evidence=False)
            for unit_id, (status, verified_at) in enumerate([("verified", datetime(2025, 11, 20, 3)), ("draft", None),
                                                              ("verified", datetime(2025, 11, 18, 3))], start=1):
                insert("units", id=unit_id, name=f"Dinas {unit_id}", short_name=f"D{unit_id}", kind="dinas", active=True)
                insert("assessments", id=unit_id, unit_id=unit_id, period_id=1, status=status, created_at=now,
                       updated_at=now, verified_at=verified_at)
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT assessment_id, number, nomor FROM berita_acara_numbers "
                                              "ORDER BY number")).all()
            assert [tuple(row) for row in rows] == [(3, 1, "700/1/BA-PEKPPP/Org/2025"), (1, 2, "700/2/BA-PEKPPP/Org/2025")]
            assert connection.execute(sa.text("SELECT ba_last_number FROM periods")).scalar() == 2
        db.engine.dispose()


def test_the_period_form_keeps_the_numbering_pattern_and_the_letters_nomor(client, auth, world):
    auth.login("admin")
    form = {"year": str(world.period.year), "title": world.period.title, "instrument_id": str(world.period.instrument_id),
            "opens_on": world.period.opens_on.isoformat(), "deadline": world.period.deadline.isoformat(),
            "ba_number_pattern": "700/{nomor}/BA/Org", "recap_number": "700/214/Org/2026", "pack_number": ""}
    refused = client.post(f"/admin/periode/{world.period.id}", data=form)
    assert "Pola nomor harus memuat {nomor} tepat satu kali dan {tahun}." in refused.text
    assert db.session.get(Period, world.period.id).recap_number == ""  # nothing saved
    client.post(f"/admin/periode/{world.period.id}", data=form | {"ba_number_pattern": "B-{nomor}/Org/{bulan}/{tahun}"})
    period = db.session.get(Period, world.period.id)
    assert (period.ba_number_pattern, period.recap_number, period.pack_number) == (
        "B-{nomor}/Org/{bulan}/{tahun}", "700/214/Org/2026", "")
    _verify(world, world.assessment, world.opd)
    month = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[today_wib().month - 1]
    assert current_number(world.assessment).nomor == f"B-1/Org/{month}/{period.year}"
