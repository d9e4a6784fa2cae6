"""The scripting interface: ``flask score``, ``flask instrument`` and ``flask demo``."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from assessment.domain.instrument import DEFAULT_INSTRUMENT_PATH
from assessment.domain.models import Answer, Assessment, AssessmentStatus, AuditEvent, InstrumentVersion, Period, Unit, User
from assessment.extensions import db
from tests.factories import INSTRUMENT

ROOT = Path(__file__).resolve().parent.parent


def write_json(tmp_path, data, name="levels.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_score_prints_the_regulation_numbers(runner, tmp_path):
    answers = {i.code: 4 for i in INSTRUMENT.indicators} | {"10.b.As": 5, "antrian": 2}
    result = runner.invoke(args=["score", write_json(tmp_path, answers)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ipp": "4.03", "konversi": "80.50", "predikat": "A-", "kategori": "Sangat Baik",
        "aspects": {"a": "4.00", "b": "4.10", "c": "4.00", "d": "4.00", "e": "4.00", "f": "4.00"},
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bukan JSON"),
        ({"1.a.Ak": 4}, "tidak ada"),
        ({i.code: 4 for i in INSTRUMENT.indicators} | {"31.g.X": 1}, "tidak dikenal"),
        ({i.code: 4 for i in INSTRUMENT.indicators} | {"1.a.Ak": 6}, "0–5"),
    ],
)
def test_score_rejects_bad_files_with_one_line_on_stderr(runner, tmp_path, content, message):
    result = runner.invoke(args=["score", write_json(tmp_path, content)])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_score_rejects_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["score", str(tmp_path / "absent.json")])
    assert result.exit_code != 0 and result.stdout == "" and "tidak dapat dibaca" in result.stderr


def test_score_command_runs_as_a_real_process(tmp_path):
    path = write_json(tmp_path, {i.code: 5 for i in INSTRUMENT.indicators})
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "score", path],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["predikat"] == "A"


def test_instrument_check_accepts_the_bundled_file_and_names_a_problem(runner, tmp_path):
    good = runner.invoke(args=["instrument", "check", str(DEFAULT_INSTRUMENT_PATH)])
    assert good.exit_code == 0 and "30 indikator" in good.stdout
    broken = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8").replace("weight: 24", "weight: 20", 1)
    bad = runner.invoke(args=["instrument", "check", write_json(tmp_path, broken, "bad.yaml")])
    assert bad.exit_code != 0 and "bukan 96" in bad.stderr


def test_instrument_import_stores_once_and_refuses_a_changed_file_under_the_same_code(runner, tmp_path):
    first = runner.invoke(args=["instrument", "import", str(DEFAULT_INSTRUMENT_PATH)])
    again = runner.invoke(args=["instrument", "import", str(DEFAULT_INSTRUMENT_PATH)])
    assert first.exit_code == 0 and again.exit_code == 0 and "sudah ada" in again.stdout
    changed = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8").replace(
        "title: Sistem antrian", "title: Sistem antrian pengunjung")
    refused = runner.invoke(args=["instrument", "import", write_json(tmp_path, changed, "changed.yaml")])
    assert refused.exit_code != 0 and "kode baru" in refused.stderr
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InstrumentVersion)) == 1


def test_demo_is_idempotent_and_shows_every_state(runner):
    def counts():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (Unit, User, Period, Answer, AuditEvent)]

    assert runner.invoke(args=["demo"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert counts() == first and first[:3] == [8, 10, 2]
    user = db.session.scalar(sa.select(User).where(User.username == "dpmptsp"))
    assert user.check_password("demo-pekppp") and user.unit.short_name == "DPMPTSP"

    current, past = db.session.scalars(sa.select(Period).order_by(Period.year.desc())).all()
    assert not past.is_open and current.is_open
    statuses = {a.unit.short_name: a.status.value for a in db.session.scalars(
        sa.select(Assessment).where(Assessment.period_id == current.id))}
    assert set(statuses.values()) == {"draft", "submitted", "returned", "verified"}
    assert "DPMPTSP" not in statuses  # not started: the newcomer fills it
    disdukcapil = next(a for a in db.session.scalars(sa.select(Assessment)) if a.unit.short_name == "Disdukcapil"
                       and a.period_id == current.id)
    assert len(disdukcapil.answers) == 15
    past_statuses = db.session.scalars(sa.select(Assessment.status).where(Assessment.period_id == past.id)).all()
    assert len(past_statuses) == 8 and set(past_statuses) == {AssessmentStatus.VERIFIED}
