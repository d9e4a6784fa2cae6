"""What the printed documents need: the Pemda's letterhead settings and the register of issued documents."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from .assessments import Assessment
from .base import utcnow


class PemdaSettings(db.Model):
    """One row: the kop surat and the signatory of the Bagian Organisasi, set by the admin."""

    __tablename__ = "pemda_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pemda_name: Mapped[str] = mapped_column(sa.String(200), default="Pemerintah Kota Cilegon")
    office_name: Mapped[str] = mapped_column(sa.String(200), default="Sekretariat Daerah · Bagian Organisasi")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="Cilegon")
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    logo_mime: Mapped[str | None] = mapped_column(sa.String(40))
    signatory_title: Mapped[str] = mapped_column(sa.String(200), default="Kepala Bagian Organisasi")
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_nip: Mapped[str] = mapped_column(sa.String(18), default="")
    signatory_pangkat: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    # The rest of the kop's address line, and the Sekretaris Daerah, who signs "Mengetahui" on the Berita Acara,
    # the recap and the meeting pack's cover letter, to which ``addressee`` (Kepada Yth.) is written.
    postal_code: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    website: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    sekda_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    sekda_nip: Mapped[str] = mapped_column(sa.String(18), default="", server_default="")
    sekda_pangkat: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    addressee: Mapped[str] = mapped_column(sa.String(200), default="Wali Kota Cilegon", server_default="Wali Kota Cilegon")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


    @property
    def region(self) -> str:
        """ "Kota Cilegon" out of "Pemerintah Kota Cilegon", for titles such as "Sekretaris Daerah Kota Cilegon"."""
        return self.pemda_name.removeprefix("Pemerintah ").strip()

    @property
    def contact_line(self) -> str:
        """The kop's second address line: "Telepon (0254) 380 100 · Pos-el org@cilegon.go.id · Laman cilegon.go.id"."""
        parts = (("Telepon", self.phone), ("Pos-el", self.email), ("Laman", self.website))
        return " · ".join(f"{label} {value}" for label, value in parts if value)


class BeritaAcaraNumber(db.Model):
    """The register of Berita Acara numbers: one row per verification, its number taken once from the period's
    counter and never given again. A reopened assessment verified again gets a new row and number; the old Nomor
    stays here, so the new Berita Acara can say which one it replaces."""

    __tablename__ = "berita_acara_numbers"
    __table_args__ = (sa.UniqueConstraint("period_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    number: Mapped[int]
    # The Nomor as printed, written with the period's pattern when the number was given: a later change of the
    # pattern changes only the numbers given after it.
    nomor: Mapped[str] = mapped_column(sa.String(160))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship()


class IssuedDocument(db.Model):
    """A generated PDF's verification code and the numbers it shows, for the public check page."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    # One entry per distinct content: two workers issuing the same new document at once keep one code.
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True, unique=True)
    assessment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessments.id"))
    period_id: Mapped[int | None] = mapped_column(sa.ForeignKey("periods.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    # The figures printed on the document, as shown (e.g. {"IPP": "4,22", "Predikat": "A-"}).
    figures: Mapped[dict] = mapped_column(sa.JSON)
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportJob(db.Model):
    """A document built in the background (the meeting pack), with its progress for the browser."""

    __tablename__ = "report_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("periods.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")  # queued, running, done, failed
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    # The app's public address (PUBLIC_BASE_URL) when the job was started; the links it prints come from the
    # configuration of the process that renders them, never from a request.
    base_url: Mapped[str] = mapped_column(sa.String(300), default="")
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # Who runs it ("inprocess:<host>:<pid>" or "rq") and when it last showed it is alive: a job whose runner
    # died is reported failed instead of "running" for ever (assessment/jobs/health.py).
    runner: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    heartbeat_at: Mapped[datetime | None]
