"""What the printed documents need: the Pemda's letterhead settings and the register of issued documents."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IssuedDocument(db.Model):
    """A generated PDF's verification code and the numbers it shows, for the public check page."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    assessment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessments.id"))
    period_id: Mapped[int | None] = mapped_column(sa.ForeignKey("periods.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    # The figures printed on the document, as shown (e.g. {"IPP": "4,22", "Predikat": "A-"}).
    figures: Mapped[dict] = mapped_column(sa.JSON)
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
