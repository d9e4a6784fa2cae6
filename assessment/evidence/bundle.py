"""Every evidence file of one assessment as a single ZIP ("Unduh semua bukti"), written while it is sent.

The archive is built chunk by chunk into a generator, so a unit's hundreds of megabytes never sit in memory or
in a temporary file. Files are stored, not deflated: PDFs, photos and office files are compressed already.
Inside, one folder per indicator code, and daftar-berkas.txt lists every file (and any missing from the disk).
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..domain.evidence.storage import path_of
from ..domain.formatting import waktu
from ..domain.models import Assessment

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Member:
    name: str  # its path inside the archive
    path: Path  # on the disk
    line: str  # its line in daftar-berkas.txt


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that hands on what zipfile wrote so far."""

    def __init__(self):
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken, self._chunks = b"".join(self._chunks), []
        return taken


def bundle_name(assessment: Assessment) -> str:
    short = re.sub(r"[^A-Za-z0-9]+", "-", assessment.unit.short_name).strip("-") or "unit"
    return f"bukti-dukung-{short}-{assessment.period.year}.zip"


def members(assessment: Assessment) -> list[Member]:
    """The files to pack, by indicator in the instrument's order, read now (within the request)."""
    order = {indicator.code: n for n, indicator in enumerate(assessment.instrument.indicators)}
    files = sorted(assessment.evidence, key=lambda e: (order.get(e.indicator_code, len(order)), e.uploaded_at, e.id))
    packed = []
    for evidence in files:
        name = f"{evidence.indicator_code}/{evidence.id}-{PurePath(evidence.original_name).name}"
        line = f"{name}  ({evidence.size:,} bait, diunggah {waktu(evidence.uploaded_at)})".replace(",", ".")
        packed.append(Member(name, path_of(evidence), line))
    return packed


def zip_chunks(assessment_title: str, packed: list[Member]) -> Iterator[bytes]:
    """The archive's bytes, a chunk at a time; a file gone from the disk is listed as missing, not fatal."""
    sink = _Sink()
    listing = [assessment_title, ""]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in packed:
            try:
                source = member.path.open("rb")
            except OSError:
                listing.append(f"TIDAK ADA DI SERVER: {member.line}")
                continue
            with source, archive.open(member.name, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            listing.append(member.line)
        if not packed:
            listing.append("Belum ada bukti dukung yang diunggah.")
        archive.writestr("daftar-berkas.txt", "\r\n".join(listing) + "\r\n")
    yield sink.take()
