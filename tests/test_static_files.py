"""Static files: fingerprinted and gzipped by the build step, cached for a year, and a working fallback without it."""
from __future__ import annotations

import gzip
import hashlib
import logging
import re
import shutil

import pytest
from flask_static_digest.cli import digest

import assessment
from assessment.extensions import db
from assessment.web.static_files import NOT_BUILT
from tests import factories

BOOTSTRAP_CSS = "vendor/bootstrap/bootstrap.min.css"
YEAR = 365 * 24 * 3600


@pytest.fixture
def static_copy(tmp_path, monkeypatch):
    """The app's static folder copied without any build output, and apps made after this use it."""
    folder = tmp_path / "static"
    shutil.copytree(assessment.STATIC, folder, ignore=shutil.ignore_patterns(
        "*.gz", "*.br", "cache_manifest.json", "*-" + "[0-9a-f]" * 32 + ".*"))
    monkeypatch.setattr(assessment, "STATIC", folder)
    return folder


@pytest.fixture
def built_app(static_copy, make_app):
    """An app on a static folder the build step (``flask digest compile``) has run on."""
    result = make_app().test_cli_runner().invoke(digest, ["compile"])  # the `flask digest` that Flask finds as a plugin
    assert result.exit_code == 0, result.output
    return make_app({"WTF_CSRF_ENABLED": False})


def linked(page: str, name: str) -> str:
    """The address a page links for static/<name> (plain, or fingerprinted)."""
    stem, extension = name.rsplit(".", 1)
    found = re.search(rf'"(/static/{re.escape(stem)}(?:-[0-9a-f]{{32}})?\.{extension})"', page)
    assert found, f"{name} is not linked"
    return found.group(1)


def test_the_build_step_gives_fingerprinted_gzipped_files_cached_for_a_year(built_app, static_copy):
    client = built_app.test_client()
    address = linked(client.get("/masuk").text, BOOTSTRAP_CSS)
    original = (static_copy / BOOTSTRAP_CSS).read_bytes()
    assert address == f"/static/vendor/bootstrap/bootstrap.min-{hashlib.md5(original).hexdigest()}.css"

    compressed = client.get(address, headers={"Accept-Encoding": "gzip"})
    assert compressed.status_code == 200 and compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == original and len(compressed.data) < len(original) / 5
    cache = compressed.headers["Cache-Control"]
    assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= YEAR
    assert compressed.headers["X-Content-Type-Options"] == "nosniff"  # security.py's headers, also on these files

    plain = client.get(address)  # a client that accepts no gzip gets the file as it is
    assert "Content-Encoding" not in plain.headers and plain.data == original


def test_without_the_build_step_pages_work_with_plain_names_checked_every_time(static_copy, make_app, caplog):
    client = make_app().test_client()
    with caplog.at_level(logging.WARNING):
        page = client.get("/masuk").text
        client.get("/masuk")
    assert [record.getMessage() for record in caplog.records].count(NOT_BUILT) == 1  # said once, at the first request
    address = linked(page, BOOTSTRAP_CSS)
    assert address == f"/static/{BOOTSTRAP_CSS}"
    response = client.get(address)
    assert response.status_code == 200 and response.data == (static_copy / BOOTSTRAP_CSS).read_bytes()
    assert response.headers["Cache-Control"] == "max-age=0, public"  # revalidated: the content may change
    assert client.get(address, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_debug_mode_links_plain_names_so_edits_show_at_once(built_app, make_app):
    page = make_app({"DEBUG": True}).test_client().get("/masuk").text
    assert linked(page, "css/app.css") == "/static/css/app.css"


def test_pages_draw_their_icons_inline_and_load_nothing_from_bootstrap_flask(built_app):
    with built_app.app_context():
        factories.make_world()
        db.session.commit()
    client = built_app.test_client()
    client.post("/masuk", data={"username": "dpmptsp", "password": factories.PASSWORD})
    page = client.get("/penilaian").text
    assert '<svg class="bi"' in page and "<path" in page
    assert "bootstrap-icons" not in page and "/bootstrap/static" not in page
    for name in ("vendor/bootstrap/popper.min.js", "vendor/bootstrap/bootstrap.min.js", "css/app.css"):
        assert re.fullmatch(r".*-[0-9a-f]{32}\.(js|css)", linked(page, name))
    assert "immutable" not in client.get("/penilaian").headers.get("Cache-Control", "")  # the page itself is not kept
