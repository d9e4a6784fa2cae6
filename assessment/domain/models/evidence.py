"""Uploaded supporting evidence (bukti dukung). The file lives on disk under a random name."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from .base import utcnow
from .people import User


class EvidenceFile(db.Model):
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(30))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()

    @property
    def previewable(self) -> bool:
        return self.mime_type in ("application/pdf", "image/png", "image/jpeg")

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")
