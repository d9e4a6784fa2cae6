"""Reading an uploaded CSV file into named cells: encoding, delimiter, header. Knows nothing of units or users."""
from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass

MAX_BYTES = 1_000_000
SAVE_AS_HINT = "Di Excel pilih Simpan Sebagai → CSV UTF-8 (dipisahkan koma), lalu unggah berkas itu."


class CsvError(Exception):
    """The file as a whole cannot be read; the message is shown to the user as is."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]  # known column -> stripped cell ("" when the row is short)
    problem: str | None = None


@dataclass(frozen=True)
class CsvTable:
    ignored_columns: list[str]
    rows: list[CsvRow]


def decode_upload(data: bytes) -> str:
    """The file's text: UTF-8 with or without BOM; anything else is refused with a reason."""
    if len(data) > MAX_BYTES:
        raise CsvError(f"Berkas lebih besar dari {MAX_BYTES // 1_000_000} MB. Bagi isinya menjadi beberapa berkas.")
    if b"\x00" in data:
        raise CsvError("Berkas ini bukan berkas teks CSV (mungkin berkas Excel .xlsx atau dokumen lain). " + SAVE_AS_HINT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError("Berkas tidak dapat dibaca sebagai teks UTF-8. " + SAVE_AS_HINT) from None
    if not text.strip():
        raise CsvError("Berkas kosong.")
    return text


def read_table(text: str, required: tuple[str, ...], optional: tuple[str, ...], max_rows: int) -> CsvTable:
    """Split the text into rows of named cells; header names are matched without case."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel in Indonesia writes ';'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column_name(cell) for cell in next(reader, [])]
        known = _check_header(header, required, optional)
        rows: list[CsvRow] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves blank rows (";;;") at the end
            if len(rows) == max_rows:
                raise CsvError(f"Berkas berisi lebih dari {max_rows} baris data. Bagi isinya menjadi beberapa berkas.")
            rows.append(_row(reader.line_num, cells, header, known))
    except csv.Error:  # with the lenient default dialect: a cell too long, usually from an unclosed quote
        raise CsvError(f"Berkas CSV tidak dapat dibaca mulai baris {reader.line_num}: periksa tanda kutip (\") "
                       "yang tidak ditutup.") from None
    if not rows:
        raise CsvError("Berkas tidak berisi baris data; hanya ada baris judul kolom.")
    ignored = [name for name in header if name and name not in known]
    return CsvTable(ignored, rows)


def _column_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def _check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> set[str]:
    expected = ", ".join(required + optional)
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvError(f"Kolom wajib tidak ada: {', '.join(missing)}. Baris pertama berkas harus berisi nama kolom: "
                       f"{expected}.")
    known = set(required + optional)
    repeated = sorted({name for name in header if name in known and header.count(name) > 1})
    if repeated:
        raise CsvError(f"Kolom {', '.join(repeated)} muncul lebih dari sekali pada baris judul.")
    return {name for name in header if name in known}


def _row(number: int, cells: list[str], header: list[str], known: set[str]) -> CsvRow:
    values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name in known}
    extra = [cell for cell in cells[len(header):] if cell.strip()]
    problem = f"Baris ini berisi {len(cells)} sel, lebih banyak dari {len(header)} kolom judul." if extra else None
    return CsvRow(number, values, problem)


def encode_content(text: str) -> str:
    """The text in a form that survives a hidden field unchanged (line ends, BOM, quotes)."""
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def decode_content(token: str | None) -> str:
    """Back to the text, checked again like a fresh upload: the field came back from the browser."""
    try:
        data = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True) if token else None
    except ValueError:  # also binascii.Error and UnicodeEncodeError
        data = None
    if not data:
        raise CsvError("Data pratinjau tidak sah. Unggah ulang berkasnya.")
    return decode_upload(data)
