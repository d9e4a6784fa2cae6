"""Uploaded supporting evidence (bukti dukung). The file lives on disk under a random name."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, enum_column, utcnow
from .people import User


class AttachedTo(enum.StrEnum):
    """What a file was uploaded for. Every kind is stored, checked (``flask evidence check``) and served the same
    way, in its assessment's folder; only the form's own evidence counts as the self-assessment's bukti dukung."""

    FORM = "form"            # the unit's bukti dukung of an indicator (Assessment.evidence)
    OBJECTION = "objection"  # new evidence filed with an objection (attached_id: Objection.id)
    FOLLOWUP = "followup"    # proof of a recommendation's follow-up (attached_id: FollowUpEntry.id)
    VISIT = "visit"          # a photo taken on the field visit (attached_id: FieldVisit.id)


class EvidenceFile(Model):
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
    attached_to: Mapped[AttachedTo] = mapped_column(enum_column(AttachedTo), default=AttachedTo.FORM,
                                                    server_default=AttachedTo.FORM.value)
    attached_id: Mapped[int | None] = mapped_column(index=True)

    uploaded_by: Mapped[User | None] = relationship()

    @property
    def previewable(self) -> bool:
        return self.mime_type in ("application/pdf", "image/png", "image/jpeg")

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")
