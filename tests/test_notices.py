"""E-mail reminders and notices, sent to a real SMTP server (aiosmtpd) that the tests start on a free port."""
from __future__ import annotations

import os
import socket
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from assessment import create_app
from assessment.domain.answers import submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.lifecycle import ActionRefused
from assessment.domain.models import DeadlineExtension, NoticeKind, OutboxMessage, OutboxStatus, utcnow
from assessment.domain.reviews import agree_with_the_rest, return_assessment, verify_assessment
from assessment.extensions import db
from assessment.notices.outbox import LEASE, MAX_ATTEMPTS, RETRY_DELAYS, _claim, send_due
from assessment.notices.reminders import queue_reminders, reminder_mark
from tests import factories

PUBLIC = "https://pekppp.cilegon.go.id"
SENDER = "PEKPPP Kota Cilegon <pekppp@cilegon.go.id>"
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
REDIS_URL = "redis://127.0.0.1:6379/15"


def in_words(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class Mailbox:
    """What an aiosmtpd server received; ``refuse`` makes it answer DATA (or RCPT) with that reply instead."""

    def __init__(self):
        self.messages = []
        self.refuse_data: str | None = None
        self.refuse_recipient: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipient:
            return self.refuse_recipient
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


def mail_settings(port: int) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_SECURITY": "none", "MAIL_SENDER": SENDER,
            "MAIL_TIMEOUT": 5, "PUBLIC_BASE_URL": PUBLIC, "MAIL_REMINDER_HOUR": 0}


@pytest.fixture
def app(make_app, mailbox):
    app = make_app({"WTF_CSRF_ENABLED": False, **mail_settings(mailbox.port)})
    with app.app_context():
        yield app


@pytest.fixture
def world(app):
    world = factories.make_world()
    world.opd.email = "kepala.dpmptsp@cilegon.go.id"
    db.session.commit()
    return world


def set_deadline(world, days_left: int) -> date:
    world.period.deadline = today_wib() + timedelta(days=days_left)
    db.session.commit()
    return world.period.deadline


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_reminder_arrives_with_the_unit_the_deadline_in_words_and_a_link(runner, world, mailbox):
    deadline = set_deadline(world, 7)
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 0 and "Pengingat baru: 1. Terkirim: 1;" in result.output

    [mail] = mailbox.messages
    assert mail["To"] == "kepala.dpmptsp@cilegon.go.id" and mail["From"] == SENDER and mail["Date"] and mail["Message-ID"]
    subject = f"Pengingat: penilaian mandiri PEKPPP {world.period.year} DPMPTSP belum dikirim (7 hari lagi)"
    assert mail["Subject"].strip() == subject  # a long subject is folded: the parser keeps the fold's space
    body = mail.get_content().replace("\r\n", "\n")
    assert "Yth. Pegawai dpmptsp," in body and "untuk Unit DPMPTSP belum dikirim" in body
    assert f"Batas waktunya {in_words(deadline)}, 7 hari lagi." in body
    assert f"\n{PUBLIC}/penilaian\n" in body and f"{PUBLIC}/akun" in body
    assert "Formulir belum mulai diisi." in body
    [stored] = outbox()
    assert (stored.status, stored.attempts, stored.kind, stored.unit_id) == (OutboxStatus.SENT, 1, NoticeKind.REMINDER,
                                                                             world.unit.id)

    again = runner.invoke(args=["notify"])  # cron runs every ten minutes: nothing twice
    assert "Pengingat baru: 0. Terkirim: 0;" in again.output and len(mailbox.messages) == 1


@pytest.mark.parametrize(("days_left", "mark"), [
    (8, None), (7, 7), (6, 7), (4, 7), (3, 3), (2, 3), (1, 1), (0, None), (-1, None),
])
def test_the_reminder_due_for_the_days_left(days_left, mark):
    assert reminder_mark(days_left) == mark


def test_each_day_mark_is_queued_once_and_an_extension_brings_its_own(world):
    deadline = set_deadline(world, 10)
    for day in range(10):  # a run each day up to the deadline, two on some days
        for _ in range(1 + day % 2):
            queue_reminders(today_wib() + timedelta(days=day))
            db.session.commit()
    assert [m.dedupe_key.split(":")[4] for m in outbox()] == ["H-7", "H-3", "H-1"]

    extended = deadline + timedelta(days=7)
    db.session.add(DeadlineExtension(period_id=world.period.id, unit_id=world.unit.id, new_deadline=extended,
                                     reason="Kepala OPD baru dilantik", granted_by_id=world.admin.id))
    db.session.commit()
    assert queue_reminders(extended - timedelta(days=3)) == 1
    db.session.commit()
    latest = outbox()[-1]
    assert latest.dedupe_key.endswith(f":H-3:{extended.isoformat()}") and in_words(extended) in latest.body


def test_a_day_missed_by_cron_still_sends_the_mark_it_passed(world):
    set_deadline(world, 5)
    assert queue_reminders(today_wib()) == 1
    db.session.commit()
    [message] = outbox()
    assert message.dedupe_key.split(":")[4] == "H-7" and "5 hari lagi" in message.body


def test_no_reminder_for_submitted_forms_closed_periods_opted_out_or_inactive_people(world):
    set_deadline(world, 3)
    world.other_opd.email = "disdukcapil@cilegon.go.id"
    factories.fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    assert queue_reminders(today_wib()) == 1  # only the other unit, whose form is a draft
    db.session.commit()
    assert [m.to_address for m in outbox()] == ["disdukcapil@cilegon.go.id"]

    set_deadline(world, 1)
    world.other_opd.email_notices = False  # opted out on the account page
    db.session.commit()
    assert queue_reminders(today_wib()) == 0
    world.other_opd.email_notices, world.other_opd.active = True, False
    db.session.commit()
    assert queue_reminders(today_wib()) == 0
    world.other_opd.active, world.period.is_open = True, False
    db.session.commit()
    assert queue_reminders(today_wib()) == 0


def test_a_failing_server_is_retried_later_then_the_failure_is_recorded(world, mailbox):
    set_deadline(world, 7)
    queue_reminders(today_wib())
    db.session.commit()
    mailbox.refuse_data = "451 4.3.0 Mailbox sementara penuh"
    now = utcnow()
    tally = send_due(now)
    [message] = outbox()
    assert (tally.sent, tally.retrying, message.status, message.attempts) == (0, 1, OutboxStatus.QUEUED, 1)
    assert message.last_error == "451 4.3.0 Mailbox sementara penuh"
    assert message.next_attempt_at == now + RETRY_DELAYS[0]
    assert send_due(now + timedelta(minutes=1)).retrying == 0  # not due yet: nothing tried

    while message.status == OutboxStatus.QUEUED:
        send_due(message.next_attempt_at)
        [message] = outbox()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert "451" in message.last_error and mailbox.messages == []


def test_a_server_that_is_down_and_a_refused_address(world, app, mailbox):
    set_deadline(world, 7)
    queue_reminders(today_wib())
    db.session.commit()
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    send_due(utcnow())
    [message] = outbox()
    assert message.status == OutboxStatus.QUEUED and "ConnectionRefusedError" in message.last_error

    app.config["MAIL_PORT"] = mailbox.port
    mailbox.refuse_recipient = "550 5.1.1 Alamat tidak dikenal"
    send_due(message.next_attempt_at)
    [message] = outbox()  # a permanent refusal of the address: not tried again
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2) and "550 5.1.1" in message.last_error


def test_a_message_claimed_by_another_round_is_not_sent_twice(world, mailbox):
    set_deadline(world, 7)
    queue_reminders(today_wib())
    db.session.commit()
    [message] = outbox()
    now = utcnow()
    assert _claim(message.id, now)  # another round took it (and may be sending it right now)
    assert not _claim(message.id, now)
    assert send_due(now).sent == 0 and mailbox.messages == []
    assert send_due(now + LEASE).sent == 1  # that round died: after its lease the message is sent once
    assert len(mailbox.messages) == 1


def submitted(world):
    factories.fill(world.assessment, world.opd)
    submit_assessment(world.assessment, world.opd, today_wib())
    db.session.commit()
    return world.assessment


def test_returning_a_form_notifies_its_unit_with_the_reason(world, mailbox):
    assessment = submitted(world)
    return_assessment(assessment, world.reviewer, "Bukti dukung indikator 1.a.Ak belum ditandatangani.")
    db.session.commit()
    [message] = outbox()
    assert (message.kind, message.to_address) == (NoticeKind.RETURNED, "kepala.dpmptsp@cilegon.go.id")
    send_due(utcnow())
    [mail] = mailbox.messages
    assert mail["Subject"].strip() == f"Penilaian mandiri PEKPPP {world.period.year} DPMPTSP dikembalikan untuk perbaikan"
    assert "Bukti dukung indikator 1.a.Ak belum ditandatangani." in mail.get_content()
    assert f"{PUBLIC}/penilaian" in mail.get_content()


def test_verifying_a_form_notifies_its_unit_and_a_refused_verification_nothing(world, mailbox):
    assessment = submitted(world)
    with pytest.raises(ActionRefused):
        verify_assessment(assessment, world.reviewer)  # nothing reviewed yet
    db.session.rollback()
    assert outbox() == []
    agree_with_the_rest(assessment, world.reviewer)
    verify_assessment(assessment, world.reviewer)
    db.session.commit()
    [message] = outbox()
    assert message.kind == NoticeKind.VERIFIED and "telah diverifikasi oleh Bagian Organisasi" in message.body


def test_with_mail_off_nothing_is_queued_and_notify_says_so(make_app):
    app = make_app()
    with app.app_context():
        world = factories.make_world()
        world.opd.email = "kepala.dpmptsp@cilegon.go.id"
        assessment = submitted(world)
        return_assessment(assessment, world.reviewer, "Lengkapi bukti.")
        db.session.commit()
        assert outbox() == []
        result = app.test_cli_runner().invoke(args=["notify"])
    assert result.exit_code == 0 and "tidak aktif" in result.output


def test_without_the_public_address_notify_refuses_and_a_return_still_works(app, runner, world):
    app.config["PUBLIC_BASE_URL"] = None
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 1 and "PEKPPP_PUBLIC_BASE_URL belum diatur" in result.output
    return_assessment(submitted(world), world.reviewer, "Lengkapi bukti.")  # no link to build: no notice, no error
    db.session.commit()
    assert outbox() == [] and world.assessment.status.value == "returned"


def test_the_account_page_keeps_the_address_and_the_opt_out(client, auth, world):
    auth.login("dpmptsp")
    assert 'value="kepala.dpmptsp@cilegon.go.id"' in client.get("/akun").text
    refused = client.post("/akun", data={"email": "kepala.dpmptsp-cilegon.go.id", "email_notices": "y"})
    assert "Tulis alamat surel lengkap" in refused.text
    db.session.expire_all()
    assert world.opd.email == "kepala.dpmptsp@cilegon.go.id"

    saved = client.post("/akun", data={"email": " kadis@cilegon.go.id "}, follow_redirects=True)  # box unticked
    assert "Pengaturan surel disimpan." in saved.text
    db.session.expire_all()
    assert (world.opd.email, world.opd.email_notices) == ("kadis@cilegon.go.id", False)
    set_deadline(world, 7)
    assert queue_reminders(today_wib()) == 0


def test_the_admin_sees_what_was_queued_sent_and_failed(client, auth, world, mailbox):
    set_deadline(world, 7)
    queue_reminders(today_wib())
    db.session.commit()
    mailbox.refuse_recipient = "550 5.1.1 Alamat tidak dikenal"
    send_due(utcnow())
    auth.login("admin")
    page = client.get("/admin/surel").text
    assert "Surel keluar" in page and "DPMPTSP belum dikirim" in page and "Gagal" in page
    assert "550 5.1.1 Alamat tidak dikenal" in page and "kepala.dpmptsp@cilegon.go.id" in page
    assert "Belum ada surel dengan status ini." in client.get("/admin/surel?status=sent").text
    assert client.get("/admin/surel?status=nonsense").status_code == 200  # a bad filter shows everything


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available() and not os.environ.get("CI"),
                    reason="Redis tidak tersedia di 127.0.0.1:6379 (diuji di CI)")
def test_rq_cron_puts_a_round_on_the_queue_that_a_worker_sends(monkeypatch, shared_database_url, mailbox):
    from redis import Redis
    from rq import Queue, SimpleWorker
    from rq.cron import CronScheduler

    settings = {"DATABASE_URL": shared_database_url, "REDIS_URL": REDIS_URL, "PEKPPP_SECRET_KEY": "rq-test",
                **{f"PEKPPP_{name}": str(value) for name, value in mail_settings(mailbox.port).items()}}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)  # the worker builds its own app from the environment
    app = create_app({"TESTING": True})
    connection = Redis.from_url(REDIS_URL)
    queue = Queue("pekppp", connection=connection)
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        world.opd.email = "kepala.dpmptsp@cilegon.go.id"
        set_deadline(world, 1)
        queue.empty()
        scheduler = CronScheduler(connection=connection)
        scheduler.load_config_from_file("assessment.notices.cron")
        assert [job.func.__name__ for job in scheduler.enqueue_jobs()] == ["notify_in_worker"]
        SimpleWorker([queue], connection=connection).work(burst=True)
        [mail] = mailbox.messages
        assert "(1 hari lagi)" in mail["Subject"] and [m.status for m in outbox()] == [OutboxStatus.SENT]
        db.session.remove()
