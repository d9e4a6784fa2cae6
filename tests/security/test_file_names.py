"""Item 5: a unit name outside Latin-1 downloads its PDFs through a real gunicorn (RFC 6266 file names)."""
from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest

from assessment import create_app
from assessment.extensions import db
from tests import factories
from tests.security.conftest import HttpBrowser, gunicorn, pdf_text

SHORT_NAME = "Dinkes Ēkonomi 漢字"


@pytest.fixture
def database(tmp_path):
    """A SQLite file holding the world, with the first unit renamed outside Latin-1 and its form filled."""
    url = f"sqlite:///{tmp_path / 'pekppp.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        world.unit.short_name, world.unit.name = SHORT_NAME, f"Dinas {SHORT_NAME}"
        factories.fill(world.assessment, world.opd)
        db.session.commit()
        assessment_id, year = world.assessment.id, world.period.year
        db.session.remove()
        db.engine.dispose()
    return url, assessment_id, year


def test_pdfs_of_a_unit_named_outside_latin_1_download_through_gunicorn(tmp_path, database):
    url, assessment_id, year = database
    settings = {"DATABASE_URL": url, "PEKPPP_SECRET_KEY": secrets.token_hex(32),
                "PEKPPP_PDF_CACHE_DIR": str(tmp_path / "cache"), "PEKPPP_EVIDENCE_DIR": str(tmp_path / "evidence"),
                "PEKPPP_PUBLIC_BASE_URL": "http://pekppp.test"}
    with gunicorn(tmp_path, settings) as port:  # production mode, as gunicorn.conf.py sets it
        browser = HttpBrowser(port)
        browser.log_in("dpmptsp")
        for kind in ("kartu", "berita-acara"):
            response = browser.request("GET", f"/laporan/penilaian/{assessment_id}/{kind}.pdf")
            assert response.status == 200, response.data[:300]
            disposition = response.getheader("Content-Disposition")
            utf8_name = f"{kind}-dinkes-ēkonomi-漢字-{year}.pdf"
            assert disposition.startswith("inline; filename=") and disposition.isascii()
            assert f"filename*=UTF-8''{quote(utf8_name)}" in disposition
            assert f"filename={kind}-dinkes-ekonomi--{year}.pdf" in disposition  # the ASCII fallback
            assert int(response.getheader("Content-Length")) == len(response.data)
            # pypdf reads this font's text with NULs between the characters (and the fallback glyphs of 漢字 as junk)
            assert "Dinas Dinkes Ēkonomi" in pdf_text(response.data).replace("\x00", "")

