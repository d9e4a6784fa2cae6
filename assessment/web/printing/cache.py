"""A bounded on-disk cache of rendered PDFs, keyed by the document's content.

Files live under instance/, so the cache survives restarts and is shared by
every worker process; writes go through a temporary file and an atomic rename.
When the total size passes the bound, the least recently used files go first.
The cache only saves work: a folder that cannot be read or written (full,
read-only) logs a warning and the PDF is rendered and served all the same.
"""
from __future__ import annotations

import logging
import os
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# A full scan stats every file (~25 ms for a full 200 MB cache of ~5,000 PDFs): too much after every write of
# a meeting pack. So each process keeps a running count per folder and scans only when that count passes the
# bound, or after RESCAN_EVERY writes, which brings in what other worker processes wrote meanwhile.
RESCAN_EVERY = 50
TEMPORARY = ".tmp"
STALE_TEMPORARY_SECONDS = 3600  # older than any write: left by a process that died while writing


@dataclass
class _Tally:
    bytes: int = 0
    writes_since_scan: int = RESCAN_EVERY  # a folder this process has not scanned yet is scanned at once


_tallies: dict[Path, _Tally] = {}


class PdfCache:
    def __init__(self, directory: Path, max_bytes: int):
        self.directory = directory
        self.max_bytes = max_bytes

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.warning("PDF cache %s cannot be read (%s); rendering instead", self.directory, error)
            return None
        with suppress(OSError):  # a read-only cache still serves what it has
            os.utime(path)  # mark as recently used
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store atomically (a temporary file, then a rename); a failure is logged, never raised."""
        temporary = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=TEMPORARY)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, self._path(key))
            tally = _tallies.setdefault(self.directory, _Tally())
            tally.bytes += len(data)
            tally.writes_since_scan += 1
            if tally.bytes > self.max_bytes or tally.writes_since_scan >= RESCAN_EVERY:
                tally.bytes, tally.writes_since_scan = self._evict(), 0
        except OSError as error:
            logger.warning("PDF cache %s cannot be written (%s); the PDF is served uncached", self.directory, error)
            if temporary:
                with suppress(OSError):
                    Path(temporary).unlink(missing_ok=True)

    def _evict(self) -> int:
        """Remove the least recently used files until the folder fits its bound; returns the bytes left.
        Temporary files a killed process left behind go too."""
        stale = time.time() - STALE_TEMPORARY_SECONDS
        for path in self.directory.glob(f"*{TEMPORARY}"):
            with suppress(FileNotFoundError):
                if path.stat().st_mtime < stale:
                    path.unlink()
        files = []
        for path in self.directory.glob("*.pdf"):
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed by another worker meanwhile
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
        return total
