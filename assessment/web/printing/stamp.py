"""The issue stamp of a document (code, generation time, verification link and QR), filled in last.

A document is rendered once, with tokens where the stamp goes; its cache key is
the hash of that HTML and the public address (documents.py), and the rest of the
stamp follows from the key's register entry. Filling the tokens (and drawing the
QR code) is cheap string work that also runs in the worker processes of the
meeting pack, next to WeasyPrint.

The tokens start with "<", which Jinja's autoescape turns into "&lt;" in every
piece of user text: no name, note or file name can contain a token, so only the
template's own places are filled. The values filled in are escaped in turn.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup, escape

from .pdf import render_pdf


@dataclass(frozen=True)
class Stamp:
    code: str
    generated: str  # "22 November 2026 15.23 WIB"
    date: str  # "22 November 2026", for the place-and-date line
    url: str

    @property
    def qr(self) -> str:
        return qr_data_uri(self.url)


STAMP_FIELDS = ("code", "generated", "date", "url", "qr")


class _Tokens:
    """Markup, so the template prints them as they are; what users typed is escaped and cannot match them."""

    code = Markup("<@stamp-code@>")
    generated = Markup("<@stamp-generated@>")
    date = Markup("<@stamp-date@>")
    url = Markup("<@stamp-url@>")
    qr = Markup("<@stamp-qr@>")


TOKENS = _Tokens()


def fill_stamp(html: str, stamp: Stamp) -> str:
    for name in STAMP_FIELDS:
        html = html.replace(getattr(TOKENS, name), str(escape(getattr(stamp, name))))
    return html


def render_stamped(html: str, stamp: Stamp, static_root: Path, in_pack: bool = False) -> bytes:
    return render_pdf(fill_stamp(html, stamp), static_root, in_pack)


def qr_data_uri(url: str) -> str:
    return svg_data_uri(segno.make(url, error="m").svg_inline(scale=3, border=1, dark="#0b3d91"))


def svg_data_uri(svg: str) -> str:
    """SVG as an <img> source: WeasyPrint draws images more faithfully than inline <svg> in HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
