"""What an uploaded file really is, read from its first bytes (and, for Office files, its zip directory)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
JPEG = FileKind("jpg", "image/jpeg", "JPG")
PNG = FileKind("png", "image/png", "PNG")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
ALLOWED = (PDF, JPEG, PNG, DOCX, XLSX)
# Names users give these types; a file whose name says otherwise than its content is refused.
EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX, "xlsx": XLSX}


def label_of(mime_type: str) -> str:
    """The short name people know a stored file's type by: "PDF", "DOCX"."""
    return next((kind.label for kind in ALLOWED if kind.mime_type == mime_type), "BERKAS")


def detect(data: bytes) -> FileKind | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> FileKind | None:
    """A DOCX or XLSX is a zip whose directory names [Content_Types].xml and word/ or xl/ parts."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None
