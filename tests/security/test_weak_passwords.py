"""Item 9: the password rules of NIST SP 800-63B: length, a list of common passwords, the account's own words."""
from __future__ import annotations

import secrets
import string

import pytest

from assessment.auth.passwords import COMMON, MAX_LENGTH, MIN_LENGTH, password_problem
from assessment.domain.models import PemdaSettings
from assessment.extensions import db
from tests.factories import PASSWORD
from tests.security.conftest import send

CONTEXT = ["Hj. Siti Nurjanah, S.E.", "Pemerintah Kota Cilegon", "Cilegon"]


@pytest.mark.parametrize(("password", "why"), [
    # the outside test's four
    ("abcabcabca", "terlalu mudah ditebak"),
    ("pekppp2026", "memuat “pekppp”"),
    ("qwertyuiop1", "paling sering dipakai"),
    ("cilegon2026", "memuat “cilegon”"),
    # the account's own words, whatever the case
    ("dpmptsp", "minimal 10"),
    ("  DPMPTSP  ", "sama dengan nama pengguna"),
    ("dpmptsp2026", "memuat “dpmptsp”"),
    ("Nurjanah1980", "memuat “Nurjanah”"),
    ("siti.nurjanah", "memuat"),
    ("PemerintahKota1", "memuat"),
    ("demo-pekppp", "memuat “demo-pekppp”"),  # printed in the README
    # common passwords, patterns, dates
    ("password123", "paling sering dipakai"),
    ("bismillah123", "paling sering dipakai"),
    ("1234567890", "paling sering dipakai"),
    ("0812 3456 7890", "paling sering dipakai"),  # read without its spaces: 08 + 1234567890
    ("q w e r t y u i o p", "paling sering dipakai"),
    ("aaaaaaaaaaaa", "terlalu mudah ditebak"),
    ("17-08-1945", "terlalu mudah ditebak"),
    ("short-9ch", "minimal 10"),
])
def test_easy_passwords_are_refused_with_the_reason(password, why):
    error = password_problem(password, "dpmptsp", CONTEXT)
    assert error is not None and why in error, error


@pytest.mark.parametrize("password", [
    "kopi-susu-gula-aren", "kata sandi saya aman", "dpmptsp-kuat-sekali", "k7pm-x3qa-9rtw", "Ombak Anyer Pukul Tujuh",
    "lamaran kerja 7 juli",
])
def test_passphrases_and_random_passwords_are_accepted(password):
    assert password_problem(password, "dpmptsp", CONTEXT) is None


def test_any_characters_count_up_to_the_maximum():
    alphabet = string.ascii_letters + string.digits + string.punctuation + " éÑ漢字"
    longest = "".join(secrets.choice(alphabet) for _ in range(MAX_LENGTH))
    assert password_problem(longest, "dpmptsp") is None
    assert "paling banyak" in password_problem(longest + "x", "dpmptsp")
    assert password_problem("é" * (MIN_LENGTH - 1), "dpmptsp") is not None


def change(app, client, new: str):
    return send(app, client, "POST", "/akun/kata-sandi", data={"current_password": PASSWORD, "new_password": new,
                                                                "confirm": new})


def test_the_form_refuses_the_pemda_name_as_saved_in_the_letterhead(app, browser, world):
    db.session.add(PemdaSettings(pemda_name="Pemerintah Kabupaten Pandeglang", office_name="Bagian Organisasi",
                                 address="", city="Pandeglang", signatory_title="Kepala", signatory_name="",
                                 signatory_nip=""))
    db.session.commit()
    client = browser(world.opd)
    refused = change(app, client, "pandeglang2026")
    assert "memuat “pandeglang”" in refused.text and "berhasil diubah" not in refused.text
    db.session.refresh(world.opd)
    assert world.opd.check_password(PASSWORD)
    assert change(app, client, "ombak-anyer-pukul-tujuh").status_code == 302


def test_the_form_refuses_the_users_own_name(app, browser, world):
    refused = change(app, browser(world.opd), "pegawai-dpmptsp")  # full name "Pegawai dpmptsp"
    assert "memuat" in refused.text


def test_create_admin_applies_the_same_rules(runner, world):
    result = runner.invoke(args=["create-admin", "--username", "kabag.org", "--full-name", "Ahmad Fauzi",
                                 "--password-stdin"], input="ahmadfauzi1980\n")
    assert result.exit_code == 1 and "memuat" in result.stderr


def test_the_demo_password_still_opens_the_demo_accounts(app, client, world):
    """Nobody may choose it, but an account that has it (the demo data's) still logs in with it."""
    assert password_problem("demo-pekppp", "dinkes") is not None
    world.opd.set_password("demo-pekppp")
    db.session.commit()
    assert client.post("/masuk", data={"username": "dpmptsp", "password": "demo-pekppp"}).status_code == 302


def test_a_common_password_message_names_no_rule_of_composition():
    assert "angka" not in COMMON and "huruf besar" not in COMMON
