"""The printed documents: what each shows, and turning it into a cached, verifiable PDF.

A document's HTML is rendered once, with its issue stamp (verification code,
QR, generation time) left as tokens; the hash of that HTML, the print
stylesheet and the public address keys the cache and the register of issued
documents. So a repeat download of unchanged data never reaches WeasyPrint and
keeps its code, and a change in any number, note or setting produces a new PDF
with a new code. Everything printed follows from the key: the stamp's code and
time are the register entry's, its link the public address and the code.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.exc import IntegrityError

from ...config import public_base_url
from ...domain.formatting import tanggal, waktu
from ...domain.models import Assessment, IssuedDocument, Period, utcnow
from ...extensions import db
from .cache import PdfCache
from .stamp import TOKENS, Stamp, render_stamped

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
    """A document ready to print: either its cached PDF, or its HTML and the stamp still to fill in."""

    key: str  # of the cache: the content's key, and "-paket" for its pages inside the meeting pack
    pdf: bytes | None
    html: str | None
    stamp: Stamp | None


def pdf_bytes(document: Document) -> bytes:
    """The document's PDF, from the cache when its content has not changed."""
    prepared = prepare(document)
    if prepared.pdf is not None:
        return prepared.pdf
    return store(prepared, render_stamped(prepared.html, prepared.stamp, Path(current_app.static_folder)))


def prepare(document: Document, in_pack: bool = False) -> Prepared:
    """Render the HTML once (stamp left as tokens), key the cache with it, and register it on a miss.
    ``in_pack``: the pages as the meeting pack prints them (no page numbers of their own), cached apart; the
    register entry, and so the code, is the same as the document's own."""
    html = render_template(document.template, stamp=TOKENS, **document.context)
    stylesheet = (Path(current_app.static_folder) / PRINT_STYLESHEET).read_bytes()
    base_url = public_base_url(current_app.config)
    key = hashlib.sha256(b"\n".join((document.kind.encode(), base_url.encode(), stylesheet, html.encode()))).hexdigest()
    issued = registered(document.kind, key)
    cache_key = f"{key}-paket" if in_pack else key
    cached = pdf_cache().get(cache_key) if issued else None  # a PDF whose code is not registered is never served
    if cached is not None:
        return Prepared(cache_key, cached, None, None)
    issued = issued or issue(document, key)
    stamp = Stamp(code=issued.code, generated=waktu(issued.generated_at), date=tanggal(issued.generated_at),
                  url=base_url + current_app.url_map.bind("").build("reports.verify", {"code": issued.code}))
    return Prepared(cache_key, None, html, stamp)


def store(prepared: Prepared, pdf: bytes) -> bytes:
    pdf_cache().put(prepared.key, pdf)
    return pdf


def registered(kind: str, key: str) -> IssuedDocument | None:
    """The register entry for this exact content, if any: the same content keeps the same code."""
    return db.session.scalar(
        sa.select(IssuedDocument).where(IssuedDocument.kind == kind, IssuedDocument.content_hash == key)
    )


def issue(document: Document, key: str) -> IssuedDocument:
    """Register new content; if another request registered the same content a moment ago, its entry is the one."""
    issued = IssuedDocument(
        code=new_code(), kind=document.kind, content_hash=key, title=document.title, figures=document.figures,
        assessment_id=document.assessment.id if document.assessment else None,
        period_id=document.period.id if document.period else None, generated_at=utcnow(),
    )
    db.session.add(issued)
    try:
        db.session.commit()  # nothing else is pending: a document is prepared before anything changes
    except IntegrityError:  # content_hash is unique: the other request won
        db.session.rollback()
        issued = registered(document.kind, key)
    return issued


def new_code() -> str:
    """Ten characters from an alphabet without look-alikes, grouped for reading aloud: K7QM-3XPA-9T."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def pdf_cache() -> PdfCache:
    directory = Path(current_app.config.get("PDF_CACHE_DIR") or Path(current_app.instance_path) / "pdf-cache")
    return PdfCache(directory, current_app.config["PDF_CACHE_MAX_BYTES"])
