"""The conversation on a returned form: the unit answers a reviewer's note, the reviewer replies; who may write when."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import AuditEvent, NoteMessage, Role
from assessment.domain.reviews import return_assessment, save_review
from assessment.extensions import db
from tests.clients import Browser
from tests.factories import add_member, assign, fill, make_user

NOTED = "14.b.K"


@pytest.fixture
def returned(app, world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    save_review(world.assessment, {NOTED: ("2", "Seragam ada, tetapi pin dan ID card belum terlihat di foto.")},
                world.reviewer)
    return_assessment(world.assessment, world.reviewer, "Lengkapi bukti dukung yang diberi catatan.")
    db.session.commit()
    return world


def page(app, user, assessment):
    return Browser(app).log_in(user.username).get(f"/evaluasi/penilaian/{assessment.id}/catatan").text


def write(app, user, assessment, text, code=NOTED):
    return Browser(app).log_in(user.username).post(f"/evaluasi/penilaian/{assessment.id}/catatan",
                                                   data={"indicator_code": code, "text": text}, follow_redirects=True)


def messages() -> list[tuple[str, str]]:
    query = sa.select(NoteMessage).order_by(NoteMessage.id)
    return [(m.author.username, m.text) for m in db.session.scalars(query)]


def test_the_unit_answers_the_note_and_the_reviewer_replies(app, returned):
    assessment = returned.assessment
    assert "Seragam ada, tetapi pin dan ID card" in page(app, returned.opd, assessment)
    write(app, returned.opd, assessment, "Foto pin dan ID card ada di berkas kedua, halaman 3.")
    write(app, returned.reviewer, assessment, "Terlihat; mohon unggah ulang dengan resolusi lebih tinggi.")
    assert messages() == [("dpmptsp", "Foto pin dan ID card ada di berkas kedua, halaman 3."),
                          ("organisasi", "Terlihat; mohon unggah ulang dengan resolusi lebih tinggi.")]
    shown = page(app, returned.opd, assessment)
    assert shown.index("berkas kedua") < shown.index("resolusi lebih tinggi")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "note.message")).all()
    assert [(e.indicator_code, e.user.username) for e in events] == [(NOTED, "dpmptsp"), (NOTED, "organisasi")]
    summary = Browser(app).log_in(returned.opd.username).get(f"/penilaian/{assessment.id}/aspek/b").text
    assert "Tanggapi catatan" in summary


def test_bad_messages_are_refused_and_nothing_is_stored(app, returned):
    assessment = returned.assessment
    assert "Tulis tanggapan terlebih dahulu." in write(app, returned.opd, assessment, "   ").text
    assert "paling banyak 1000 karakter" in write(app, returned.opd, assessment, "x" * 1001).text
    assert "tidak memiliki catatan evaluator" in write(app, returned.opd, assessment, "Ada.", code="1.a.Ak").text
    assert messages() == []


def test_who_may_write_when(app, returned):
    assessment = returned.assessment
    other = make_user("lain", Role.REVIEWER)
    add_member(returned.period, other)
    assign(returned.period, returned.unit, other)  # the team now gives the unit to someone else
    db.session.commit()
    assert "hanya dapat diisi" in write(app, returned.reviewer, assessment, "Balasan.").text
    assert write(app, returned.other_opd, assessment, "Bukan unit saya.").status_code == 404
    write(app, other, assessment, "Saya yang memeriksa unit ini sekarang.")
    submit_assessment(assessment, returned.opd, today_wib())
    db.session.commit()
    assert "hanya dapat diisi" in write(app, returned.opd, assessment, "Sudah dikirim ulang.").text
    assert [author for author, _ in messages()] == ["lain"]


def test_the_unit_sees_no_notes_while_the_review_is_under_way(app, world):
    fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    save_review(world.assessment, {NOTED: ("2", "Catatan yang belum selesai.")}, world.reviewer)
    db.session.commit()
    assert "Catatan yang belum selesai." not in page(app, world.opd, world.assessment)
    assert "Catatan yang belum selesai." in page(app, world.reviewer, world.assessment)
