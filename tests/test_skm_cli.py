"""``flask skm score FILE.json``: the regulation's numbers as JSON; bad input: exit 1, nothing on stdout, one line on stderr."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_skm(runner, tmp_path, content: str | bytes):
    path = tmp_path / "skm.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return runner.invoke(args=["skm", "score", str(path)])


def test_prints_the_numbers_with_the_shown_decimals(runner, tmp_path):
    rows = [[4, 3, 2, 4, 3, 3, 4, 2, 3], [3, 3, 3, 4, 3, 4, 4, 3, 3], [3, 2, 3, 4, 3, 3, 4, 2, 4],
            [3, 3, 3, 4, 4, 3, 4, 3, None]]
    result = run_skm(runner, tmp_path, json.dumps({"responses": rows}))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "n": 4,
        "nrr": {"U1": "3.2500", "U2": "2.7500", "U3": "2.7500", "U4": "4.0000", "U5": "3.2500", "U6": "3.2500",
                "U7": "4.0000", "U8": "2.5000", "U9": "3.3333"},
        "ikm": "3.2315",  # (29 - 3,25 + 3,3333…) / 9 = 3,23148…
        "nilai": "80.79",
        "mutu": "B",
        "kinerja": "Baik",
    }


def test_the_mutu_is_read_off_the_shown_nilai(runner, tmp_path):
    """19 respondents whose answers add up to 524: nilai 76,6081… is shown as 76,61, which is B, not C."""
    flat = [3] * (9 * 19)
    for position in range(524 - 3 * 9 * 19):
        flat[position] = 4
    rows = [flat[i * 9:(i + 1) * 9] for i in range(19)]
    report = json.loads(run_skm(runner, tmp_path, json.dumps({"responses": rows})).stdout)
    assert (report["nilai"], report["mutu"], report["kinerja"]) == ("76.61", "B", "Baik")


@pytest.mark.parametrize(("content", "message"), [
    ('{"responses": [[4, 4, 4, 4, 4, 4, 4, 4, 5]]}', "U9 harus bilangan bulat 1–4"),
    ('{"responses": [[0, 4, 4, 4, 4, 4, 4, 4, 4]]}', "U1 harus bilangan bulat 1–4"),
    ('{"responses": [[3.5, 4, 4, 4, 4, 4, 4, 4, 4]]}', "U1"),
    ('{"responses": [[4.0, 4, 4, 4, 4, 4, 4, 4, 4]]}', "U1"),
    ('{"responses": [["4", 4, 4, 4, 4, 4, 4, 4, 4]]}', "U1"),
    ('{"responses": [[true, 4, 4, 4, 4, 4, 4, 4, 4]]}', "U1"),
    ('{"responses": [[4, 4, 4, 4, 4, 4, 4, 4]]}', "tepat 9 jawaban"),
    ('{"responses": [[4, 4, 4, 4, 4, 4, 4, 4, 4, 4]]}', "tepat 9 jawaban"),
    ('{"responses": [null]}', "tepat 9 jawaban"),
    ('{"responses": [[4, 4, 4, null, 4, 4, 4, 4, 4]]}', "unsur tanpa jawaban satu pun: U4"),
    ('{"responses": []}', "tidak ada responden"),
    ('{"responses": {}}', "daftar"),
    ('[]', "objek JSON"),
    ('{}', "objek JSON"),
    ('{"responses": [[4, 4, 4, 4, 4, 4, 4, 4, NaN]]}', "U9"),
    ('{"responses": [[4, 4, 4, 4, 4, 4, 4, 4, 1e400]]}', "U9"),
    ('{"responses": [[4, 4, 4', "bukan JSON yang sah"),
    ("", "bukan JSON yang sah"),
    ("[" * 100_000, "bukan JSON yang sah"),
    (b"\xff\xfe{", "bukan JSON yang sah"),
    ('{"responses": [[' + "9" * 5000 + ', 4, 4, 4, 4, 4, 4, 4, 4]]}', "bukan JSON yang sah"),
    ('{"responses": [[' + "9" * 400 + ', 4, 4, 4, 4, 4, 4, 4, 4]]}', "bukan 99999999999999999…"),
])
def test_bad_input_exit_1_nothing_on_stdout_one_line_on_stderr(runner, tmp_path, content, message):
    result = run_skm(runner, tmp_path, content)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["skm", "score", str(tmp_path / "tidak-ada.json")])
    assert result.exit_code == 1 and result.stdout == "" and "tidak dapat dibaca" in result.stderr


def test_runs_as_a_real_process(tmp_path):
    path = tmp_path / "skm.json"
    path.write_text(json.dumps({"responses": [[3] * 9] * 25}))
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "skm", "score", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["nilai"] == "75.00"
    path.write_text('{"responses": [[9, 9, 9, 9, 9, 9, 9, 9, 9]]}')
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "skm", "score", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (1, "", 1)
