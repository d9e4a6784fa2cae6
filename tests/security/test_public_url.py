"""Item 1: the verification link printed in every PDF comes from the configuration, never from the request.

A forged Host header cannot reach a PDF (nor the cache that serves it to everyone), the cache key covers every
part of the stamp, and no text a user typed can pass for a stamp token.
"""
from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from assessment import create_app
from assessment.config import DEVELOPMENT_BASE_URL
from assessment.domain.models import IssuedDocument, ReportJob
from assessment.extensions import db
from assessment.jobs.runner import execute
from assessment.reports.pack import packs_dir
from assessment.reports.scorecard import scorecard
from assessment.web.printing.documents import prepare
from assessment.web.printing.stamp import qr_data_uri
from assessment.web.production import UnsafeSettings
from tests.factories import fill, mark_verified
from tests.security.conftest import pdf_text, send

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


@pytest.fixture
def pdf_app(app, world, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "cache"), PACKS_DIR=str(tmp_path / "packs"))
    fill(world.assessment, world.opd)
    mark_verified(world.assessment, world.reviewer)  # a final document: a draft prints no link or QR (issue 14)
    db.session.commit()
    return app


def forging(client):
    """The same browser session, sent to the app under the attacker's Host name (the test client files cookies by host)."""
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    return client


def scorecard_url(world) -> str:
    return f"/laporan/penilaian/{world.assessment.id}/kartu.pdf"


def code_of(world) -> str:
    return db.session.scalar(sa.select(IssuedDocument.code).where(IssuedDocument.assessment_id == world.assessment.id))


def test_a_forged_host_prints_nothing_of_its_own(pdf_app, browser, world):
    forged = send(pdf_app, forging(browser(world.opd)), "GET", scorecard_url(world), headers=FORGED)
    assert forged.status_code == 200
    text = " ".join(pdf_text(forged.data).split())
    assert "evil.example" not in text and f"{DEVELOPMENT_BASE_URL}/v/{code_of(world)}" in text
    honest = send(pdf_app, browser(world.opd), "GET", scorecard_url(world))
    assert honest.data == forged.data  # the one cached PDF, as everyone gets it


def test_the_configured_address_is_printed_and_a_new_one_makes_a_new_document(pdf_app, browser, world):
    pdf_app.config["PUBLIC_BASE_URL"] = "https://pekppp.cilegon.example/"
    first = pdf_text(send(pdf_app, forging(browser(world.opd)), "GET", scorecard_url(world), headers=FORGED).data)
    assert f"https://pekppp.cilegon.example/v/{code_of(world)}" in " ".join(first.split())
    pdf_app.config["PUBLIC_BASE_URL"] = "https://pekppp.serang.example"
    second = " ".join(pdf_text(send(pdf_app, browser(world.opd), "GET", scorecard_url(world)).data).split())
    assert "pekppp.cilegon.example" not in second and "https://pekppp.serang.example/v/" in second


def test_the_qr_code_encodes_the_configured_link(pdf_app, world):
    pdf_app.config["PUBLIC_BASE_URL"] = "https://pekppp.cilegon.example"
    with pdf_app.test_request_context(headers=FORGED):
        stamp = prepare(scorecard(world.assessment, False)).stamp
    assert stamp.url == f"https://pekppp.cilegon.example/v/{stamp.code}"
    assert stamp.qr == qr_data_uri(stamp.url)


@pytest.mark.parametrize("typed", ["<@stamp-url@>", "<@stamp-code@>", "@@STAMP-URL@@", "&lt;@stamp-qr@&gt;"])
def test_text_a_user_typed_cannot_pass_for_a_stamp_token(pdf_app, browser, world, typed):
    world.unit.name = f"Dinas {typed} Uji"
    db.session.commit()
    text = " ".join(pdf_text(send(pdf_app, browser(world.opd), "GET", scorecard_url(world)).data).split())
    assert f"Dinas {typed} Uji" in text  # printed as typed, not filled in
    assert text.count(f"{DEVELOPMENT_BASE_URL}/v/") == 1  # the link only where the template puts it


def test_the_meeting_pack_takes_no_link_from_the_request(pdf_app, browser, world):
    pdf_app.extensions["pekppp_jobs"].enqueue = lambda job_id: None
    started = send(pdf_app, forging(browser(world.reviewer)), "POST", f"/laporan/{world.period.year}/paket-rapat",
                   headers=FORGED)
    assert started.status_code == 302
    job = db.session.scalars(sa.select(ReportJob)).one()
    assert job.base_url == DEVELOPMENT_BASE_URL
    execute(job.id)
    text = pdf_text((packs_dir() / f"{job.id}.pdf").read_bytes())
    assert "evil.example" not in text and f"{DEVELOPMENT_BASE_URL}/v/" in text


def test_production_refuses_to_start_without_a_public_url():
    settings = {"PRODUCTION": True, "SECRET_KEY": secrets.token_hex(32), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(UnsafeSettings, match="PEKPPP_PUBLIC_BASE_URL wajib diisi"):
        create_app(settings)
    with pytest.raises(UnsafeSettings, match="PEKPPP_PUBLIC_BASE_URL wajib diisi"):
        create_app(settings | {"PUBLIC_BASE_URL": "pekppp.example.go.id"})  # no scheme: not an address
    assert create_app(settings | {"PUBLIC_BASE_URL": "http://pekppp.example.go.id"}).config["PRODUCTION"]
