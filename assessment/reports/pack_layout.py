"""The meeting pack's pages: each document on an odd page, a table of contents, one page count across the pack.

The documents are rendered one by one (in parallel, and cached), so their page counts are known only as each
arrives; they are appended in order, a blank page before any that would start on an even page. The table of
contents comes second but is rendered last, once every start page is known, and inserted after the cover letter:
it too is padded to an even number of pages, so inserting it moves every later page by an even amount and no
document changes side. Last, every page gets "Halaman n dari N", drawn by pypdf in the PDF base font Helvetica
(Liberation Sans, the documents' face, has its metrics): about a millisecond a page, where laying the numbers out
with WeasyPrint cost four.
"""
from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ..domain.formatting import bilangan

MM = 72 / 25.4
# Helvetica's advance widths (per 1000 units of the font size) of the characters a page number uses.
HELVETICA_WIDTHS = {" ": 278, ".": 278, "H": 722, "a": 556, "d": 556, "i": 222, "l": 222, "m": 833, "n": 556, "r": 333,
                    **dict.fromkeys("0123456789", 556)}
FOOTER_SIZE = 7.5  # pt, as the documents' own footer (print.css)
FOOTER_RIGHT, FOOTER_LEFT, FOOTER_BASELINE = 16 * MM, 20 * MM, 9 * MM  # print.css's @page margins
BLANK_NOTE = "Halaman ini sengaja dikosongkan."


class PackMerge:
    """Appends the pack's documents in their order as soon as each next one is available."""

    def __init__(self, count: int):
        self._writer = PdfWriter()
        self._waiting: dict[int, bytes] = {}
        self._next = 0
        self._count = count
        self.starts: list[int] = []  # the page (1-based, before the contents are inserted) each document starts on
        self._blank: set[int] = set()  # 0-based indices of blank pages

    def add(self, index: int, pdf: bytes) -> None:
        self._waiting[index] = pdf
        while self._next in self._waiting:
            self._append(PdfReader(io.BytesIO(self._waiting.pop(self._next))))
            self._next += 1

    def _append(self, reader: PdfReader) -> None:
        if len(self._writer.pages) % 2:  # the document would start on an even page
            self._add_blank(len(self._writer.pages))
        self.starts.append(len(self._writer.pages) + 1)
        self._writer.append(reader)

    def _add_blank(self, position: int) -> None:
        box = self._writer.pages[-1].mediabox
        self._writer.insert_blank_page(box.width, box.height, position)
        self._blank = {index + 1 if index >= position else index for index in self._blank} | {position}

    def finish(self, render_contents: Callable[[int, list[int]], bytes]) -> bytes:
        """Insert the table of contents after the first document, number every page, and return the pack.

        ``render_contents(own_page, starts)`` renders the table of contents, which starts on ``own_page``, for
        documents starting on ``starts``; it is rendered again while its length, rounded up to even, differs from
        the one assumed (the page numbers hardly ever change its length, so a second render settles it)."""
        assert self._next == self._count >= 2, "every document must have been added, the cover letter and more"
        position = self.starts[1] - 1  # after the cover letter and its blank page, if any
        reserved = 2
        for _ in range(3):
            reader = PdfReader(io.BytesIO(render_contents(position + 1, [self.starts[0], *(
                start + reserved for start in self.starts[1:])])))
            length = len(reader.pages)
            if length + length % 2 == reserved:
                break
            reserved = length + length % 2
        else:
            raise RuntimeError("the table of contents changes its length with its own page numbers")
        for offset, page in enumerate(reader.pages):
            self._writer.insert_page(page, position + offset)
        self._blank = {index + length if index >= position else index for index in self._blank}
        if length % 2:
            self._add_blank(position + length)
        number_pages(self._writer, self._blank)
        output = io.BytesIO()
        self._writer.write(output)
        return output.getvalue()


def number_pages(writer: PdfWriter, blank: set[int]) -> None:
    """"Halaman n dari N" at the bottom right of every page, where a document prints its own; blank pages also say
    that they are blank, at the bottom left."""
    total = len(writer.pages)
    for index, page in enumerate(writer.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        label = f"Halaman {bilangan(index + 1)} dari {bilangan(total)}"
        lines = [(width - FOOTER_RIGHT - text_width(label), label)]
        if index in blank:
            lines.append((FOOTER_LEFT, BLANK_NOTE))
        page.merge_page(_text_page(width, height, lines))
        page.compress_content_streams()


def text_width(text: str, size: float = FOOTER_SIZE) -> float:
    return sum(HELVETICA_WIDTHS[character] for character in text) * size / 1000


def _text_page(width: float, height: float, lines: list[tuple[float, str]]) -> PageObject:
    """A page with nothing but grey footer text, to lay over a page of the pack."""
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/FPack"): font})})
    operators = "".join(f"BT /FPack {FOOTER_SIZE} Tf 0.357 0.392 0.459 rg {x:.2f} {FOOTER_BASELINE:.2f} Td ({text}) Tj ET\n"
                        for x, text in lines)
    stream = DecodedStreamObject()
    stream.set_data(operators.encode("latin-1"))
    page[NameObject("/Contents")] = stream
    return page
