"""What an uploaded file really is, read from its first bytes (and, for Office files, its zip directory)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


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


# PDF actions that run code: JavaScript (opening the file, a page, a link, a form field) and Launch (a program).
ACTIVE_ACTIONS = ("JavaScript", "Launch")
# A name may spell any letter as #xx ("/J#61vaScript"); long enough never to occur by chance in compressed data.
_ACTIVE_NAME = re.compile("|".join(
    "/" + "".join(f"(?:{ch}|#(?i:{ord(ch):02x}))" for ch in name) for name in ACTIVE_ACTIONS
).encode())
MAX_PDF_OBJECTS = 200_000  # more than any scan or report has; a file built to make the walk endless stops here


def active_content_refusal(kind: FileKind, data: bytes) -> str | None:
    """Why a file that is what it says must still be refused: a PDF that would run code when opened."""
    if kind is PDF and pdf_runs_code(data):
        return ("PDF ini berisi JavaScript atau perintah menjalankan program. Simpan ulang sebagai PDF biasa "
                "(mis. Cetak → Simpan sebagai PDF), lalu unggah lagi.")
    return None


def pdf_runs_code(data: bytes) -> bool:
    """Whether a PDF carries a JavaScript or Launch action anywhere: found in its bytes, or in any object reachable
    from its trailer (which finds those inside compressed object streams too). A PDF pypdf cannot read is judged by
    its bytes alone."""
    if _ACTIVE_NAME.search(data):
        return True
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")  # what a viewer opens without asking for a password
        return _reaches_active_action(reader.trailer)
    except Exception:  # pypdf raises many kinds on a damaged file; the byte search above stands
        return False


def _reaches_active_action(root: DictionaryObject) -> bool:
    pending, seen = [root], set()
    while pending and len(seen) < MAX_PDF_OBJECTS:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionaries, not their content
            if item.get("/S") in {f"/{name}" for name in ACTIVE_ACTIONS} or "/JS" in item or "/JavaScript" in item:
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False
