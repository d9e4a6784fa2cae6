"""The printed documents: what each shows, and turning it into a cached, verifiable PDF.

A document is rendered to HTML twice at most: once without its issue stamp
(verification code, QR, generation time) to compute the cache key from its
content, and once with the stamp when the cache has no PDF for that content.
So a repeat download of unchanged data never reaches WeasyPrint, and a change
in any number, note or setting produces a new PDF with a new code.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import segno
import sqlalchemy as sa
from flask import current_app, render_template, url_for

from ..extensions import db
from ..models import Assessment, IssuedDocument, Period, utcnow
from .cache import PdfCache
from .pdf import render_pdf

PRINT_STYLESHEET = "css/print.css"


@dataclass
class Document:
    kind: str
    template: str
    title: str
    filename: str
    figures: dict[str, str]
    context: dict = field(default_factory=dict)
    assessment: Assessment | None = None
    period: Period | None = None


@dataclass(frozen=True)
class Prepared:
    """A document ready to print: either its cached PDF, or the final HTML still to render."""

    key: str
    pdf: bytes | None
    html: str | None


def pdf_bytes(document: Document) -> bytes:
    """The document's PDF, from the cache when its content has not changed."""
    prepared = prepare(document)
    if prepared.pdf is not None:
        return prepared.pdf
    return store(prepared, render_pdf(prepared.html, Path(current_app.static_folder)))


def prepare(document: Document) -> Prepared:
    """Look the content up in the cache; on a miss, register it and produce the stamped HTML."""
    key = content_key(document)
    issued = registered(document.kind, key)
    cached = pdf_cache().get(key) if issued else None  # a PDF whose code is not registered is never served
    if cached is not None:
        return Prepared(key, cached, None)
    issued = issued or issue(document, key)
    url = verification_url(issued)
    html = render_template(document.template, issued=issued, qr=qr_data_uri(url), verification_url=url,
                           **document.context)
    return Prepared(key, None, html)


def store(prepared: Prepared, pdf: bytes) -> bytes:
    pdf_cache().put(prepared.key, pdf)
    return pdf


def content_key(document: Document) -> str:
    """SHA-256 of everything that shapes the PDF: the HTML without its stamp and the print stylesheet."""
    html = render_template(document.template, issued=None, qr=None, verification_url=None, **document.context)
    stylesheet = (Path(current_app.static_folder) / PRINT_STYLESHEET).read_bytes()
    return hashlib.sha256(document.kind.encode() + b"\n" + stylesheet + html.encode()).hexdigest()


def registered(kind: str, key: str) -> IssuedDocument | None:
    """The register entry for this exact content, if any: the same content keeps the same code."""
    return db.session.scalar(
        sa.select(IssuedDocument).where(IssuedDocument.kind == kind, IssuedDocument.content_hash == key)
    )


def issue(document: Document, key: str) -> IssuedDocument:
    issued = IssuedDocument(
        code=new_code(), kind=document.kind, content_hash=key, title=document.title, figures=document.figures,
        assessment_id=document.assessment.id if document.assessment else None,
        period_id=document.period.id if document.period else None, generated_at=utcnow(),
    )
    db.session.add(issued)
    db.session.commit()
    return issued


def new_code() -> str:
    """Ten characters from an alphabet without look-alikes, grouped for reading aloud: K7QM-3XPA-9T."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verification_url(issued: IssuedDocument) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("reports.verify", code=issued.code)
    return f"{base.rstrip('/')}{path}" if base else url_for("reports.verify", code=issued.code, _external=True)


def qr_data_uri(url: str) -> str:
    return svg_data_uri(segno.make(url, error="m").svg_inline(scale=3, border=1, dark="#0b3d91"))


def svg_data_uri(svg: str) -> str:
    """SVG as an <img> source: WeasyPrint draws images more faithfully than inline <svg> in HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf_cache() -> PdfCache:
    directory = Path(current_app.config.get("PDF_CACHE_DIR") or Path(current_app.instance_path) / "pdf-cache")
    return PdfCache(directory, current_app.config["PDF_CACHE_MAX_BYTES"])
