"""CSV import, all or nothing: every row is checked, shown in a preview, and only an error-free file is imported.

The confirm step runs the same checks again on the same text, so anything that
changed in between (a unit created by someone else) stops the whole import.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.models import User
from .csv_reading import CsvError, CsvTable, decode_content, decode_upload, encode_content, read_table


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str


@dataclass
class PreviewRow:
    number: int
    cells: list[str]  # what will be stored, or the raw text where it cannot be read
    errors: list[str] = field(default_factory=list)
    payload: object = None  # what the import needs for this row, once the row is valid


@dataclass(frozen=True)
class ImportSpec:
    """One kind of import: its columns (documented on the upload page), its checks and its effect."""

    subject: str  # the URL part: "unit" or "pengguna"
    title: str
    columns: tuple[Column, ...]
    headings: tuple[str, ...]  # the preview table's columns, one per cell
    example: tuple[tuple[str, ...], ...]
    max_rows: int
    check: Callable[[CsvTable], list[PreviewRow]]
    apply: Callable[[list[PreviewRow], User], list]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)


@dataclass(frozen=True)
class ImportPreview:
    rows: list[PreviewRow]
    problem: str | None = None  # the file as a whole could not be read
    ignored_columns: tuple[str, ...] = ()
    content: str = ""  # the file's text, encoded for the confirm form's hidden field

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows) + (self.problem is not None)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def preview_upload(spec: ImportSpec, data: bytes) -> ImportPreview:
    try:
        return preview_text(spec, decode_upload(data))
    except CsvError as error:
        return ImportPreview([], str(error))


def preview_content(spec: ImportSpec, token: str | None) -> ImportPreview:
    """The confirm step: the carried text, read and checked from scratch."""
    try:
        return preview_text(spec, decode_content(token))
    except CsvError as error:
        return ImportPreview([], str(error))


def preview_text(spec: ImportSpec, text: str) -> ImportPreview:
    table = read_table(text, spec.required, spec.optional, spec.max_rows)
    return ImportPreview(spec.check(table), None, tuple(table.ignored_columns), encode_content(text))


def apply_import(spec: ImportSpec, preview: ImportPreview, actor: User) -> list:
    if not preview.ok:
        raise ValueError("only an error-free preview may be imported")
    return spec.apply(preview.rows, actor)


def text_errors(value: str, label: str, max_length: int) -> list[str]:
    if not value:
        return [f"Kolom {label} kosong."]
    if len(value) > max_length:
        return [f"Isi kolom {label} paling banyak {max_length} karakter (ada {len(value)})."]
    return []


def repeat_error(seen: dict[str, int], key: str, number: int, label: str) -> list[str]:
    """Remember ``key`` (without case) as seen on row ``number``; an error if an earlier row had it."""
    earlier = seen.setdefault(key.lower(), number)
    return [f"Isi kolom {label} sama dengan baris {earlier} dalam berkas ini."] if key and earlier != number else []
