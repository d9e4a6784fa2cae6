"""HTML to PDF with WeasyPrint, allowed to read only the app's own static files.

The fetcher is the safety boundary for every document: user-written text is
escaped by Jinja, and whatever URL still reaches WeasyPrint (an <img>, a CSS
url(), an @import) may only name a file inside static/ or be an inline data:
URI. Anything else, the network included, is refused.
"""
from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_URL_PREFIX = "/static/"
BASE_URL = "https://pekppp.invalid/"  # never fetched: only lets relative URLs resolve to paths we check


class FetchRefused(ValueError):
    """A document asked for a resource outside static/."""


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, static_root: Path):
        # Skip URLFetcher's own set-up: it installs HTTP(S), FTP and file handlers (and builds an SSL
        # context, ~100 ms a render). Only inline data: URIs ever reach the parent's fetch().
        request.OpenerDirector.__init__(self)
        self.add_handler(request.DataHandler())
        self._timeout, self._http_headers, self._request = 10, {}, None
        self._allowed_protocols, self._fail_on_errors = ("data",), False
        self.root = static_root.resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        return URLFetcherResponse(url, self.read(url), {"Content-Type": self._mime(url)})

    def read(self, url: str) -> bytes:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(STATIC_URL_PREFIX):
            raise FetchRefused(f"refused: {url}")
        path = (self.root / unquote(parts.path[len(STATIC_URL_PREFIX):])).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused: {url}")
        return path.read_bytes()

    @staticmethod
    def _mime(url: str) -> str:
        return mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"


@lru_cache(maxsize=4)
def fetcher_for(static_root: Path) -> StaticOnlyFetcher:
    """One fetcher per process and folder: WeasyPrint keeps per-fetcher work that costs ~150 ms a render."""
    return StaticOnlyFetcher(static_root)


@lru_cache(maxsize=1)
def pack_page_style() -> CSS:
    """Inside the meeting pack a document prints no page numbers of its own: the pack numbers its pages
    across all documents (pack_layout.py). A user stylesheet, so !important to win over print.css."""
    return CSS(string="@page { @bottom-right { content: none !important; } }")


def render_pdf(html: str, static_root: Path, in_pack: bool = False) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher_for(static_root))
    return document.write_pdf(stylesheets=[pack_page_style()] if in_pack else None)
