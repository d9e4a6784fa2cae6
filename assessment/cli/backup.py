"""``flask backup [DIR]`` and ``flask restore ARCHIVE``: the database and the evidence files in one checked archive.

An archive ``pekppp-backup-YYYYMMDD-HHMMSS.tar.gz`` holds:

- ``database.sqlite`` (SQLite's online backup API) or ``database.pgdump`` (``pg_dump --format=custom``):
  a consistent snapshot, taken while the app keeps running;
- ``evidence/…``: the files under EVIDENCE_DIR, copied after the snapshot;
- ``manifest.json``: database kind, schema revision, time, file count and the sha256 of every other member.

Restore unpacks into a temporary folder and checks every member against the manifest before it changes anything.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import click
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from ..domain.evidence.storage import evidence_root
from ..extensions import db
from .common import fail

FORMAT, FORMAT_VERSION = "pekppp-backup", 1
MANIFEST, EVIDENCE = "manifest.json", "evidence"
DATABASE_MEMBER = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
KIND_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MANIFEST_KEYS = {"format", "format_version", "created_at", "database", "alembic_revision", "evidence_files", "files"}


@click.command("backup")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path | None) -> None:
    """Cadangkan basis data dan berkas bukti dukung ke satu arsip (bawaan: folder instance/backups/)."""
    archive, manifest = write_backup(directory or Path(current_app.instance_path) / "backups")
    click.echo(f"Cadangan dibuat: {archive} (basis data {KIND_LABEL[manifest['database']]}, "
               f"revisi skema {manifest['alembic_revision'] or '-'}, {manifest['evidence_files']} berkas bukti dukung)")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Timpa basis data dan folder bukti dukung yang sudah berisi data.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Pulihkan basis data dan berkas bukti dukung dari arsip cadangan ke instance ini."""
    kind, evidence = database_kind(), evidence_root()
    if not archive.is_file():
        fail(f"arsip tidak ditemukan: {archive}")
    evidence.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pekppp-restore-", dir=evidence.parent) as work:
        manifest = unpack(archive, Path(work))
        check_restorable(manifest, kind, evidence, force)
        restore_database(kind, Path(work) / DATABASE_MEMBER[kind])
        moved_aside = replace_evidence(Path(work) / EVIDENCE, evidence)
    click.echo(f"Cadangan dipulihkan dari {archive.name}: basis data {KIND_LABEL[kind]} "
               f"(revisi skema {manifest['alembic_revision'] or '-'}), {manifest['evidence_files']} berkas bukti dukung.")
    if moved_aside:
        click.echo(f"Berkas bukti dukung yang lama dipindahkan ke {moved_aside}.")
    if manifest["alembic_revision"] != migrations().get_current_head():
        click.echo("Skema basis data belum terbaru: jalankan `flask --app wsgi db upgrade`.")


# --- backup -------------------------------------------------------------------------------------------------


def write_backup(directory: Path) -> tuple[Path, dict]:
    """Write the archive under a temporary name and rename it when complete: never a half archive."""
    kind, created = database_kind(), datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"pekppp-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        fail(f"arsip {archive} sudah ada; coba lagi sebentar lagi")
    with tempfile.TemporaryDirectory(prefix=".pekppp-backup-", dir=directory) as work:
        snapshot, partial = Path(work) / DATABASE_MEMBER[kind], Path(work) / "archive.tar.gz"
        revision = snapshot_database(kind, snapshot)
        with tarfile.open(partial, "w:gz") as tar:
            checksums = {snapshot.name: add_file(tar, snapshot, snapshot.name), **add_evidence(tar)}
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created.isoformat(timespec="seconds"),
                        "database": kind, "alembic_revision": revision, "evidence_files": len(checksums) - 1,
                        "files": checksums}
            add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        partial.chmod(0o600)  # password hashes and personal data: readable by the owner only
        os.replace(partial, archive)
    return archive, manifest


def snapshot_database(kind: str, target: Path) -> str | None:
    """Copy the database to ``target``; return its schema revision (migrations do not run during a backup)."""
    with db.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    if kind == "postgresql":
        run_postgres_tool("pg_dump", "--format=custom", f"--file={target}")  # one transaction: a consistent snapshot
        return revision
    source = db.engine.raw_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            source.driver_connection.backup(copy)  # the online backup API: consistent even while others write
    finally:
        source.close()
    return revision


def add_evidence(tar: tarfile.TarFile) -> dict[str, str]:
    """Add the evidence files, copied just after the snapshot; one removed in the meantime is left out."""
    root, checksums = evidence_root(), {}
    for path in evidence_files(root):
        name = f"{EVIDENCE}/{path.relative_to(root).as_posix()}"
        with suppress(FileNotFoundError):
            checksums[name] = add_file(tar, path, name)
    return checksums


def evidence_files(root: Path) -> list[Path]:
    """The stored files under the evidence folder (a missing folder is empty); uploads still being written
    (``*.part``, see evidence.storage) are not evidence yet."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink() and path.suffix != ".part")


class _HashingReader:
    def __init__(self, handle):
        self.handle, self.sha256 = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> str:
    """Add one file and return the sha256 of exactly the bytes that went into the archive."""
    with path.open("rb") as handle:
        info = tar.gettarinfo(arcname=name, fileobj=handle)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.sha256.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- restore ------------------------------------------------------------------------------------------------


def unpack(archive: Path, work: Path) -> dict:
    """Extract every member into ``work`` and return the manifest once every checksum matches it."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = member_name(member, digests)
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, target.open("wb") as output:
                    digests[name] = copy_hashing(source, output)
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        fail(f"arsip rusak atau bukan cadangan PEKPPP: {archive}")
    manifest = read_manifest(work, archive)
    digests.pop(MANIFEST)
    damaged = sorted(name for name in digests.keys() | manifest["files"].keys()
                     if digests.get(name) != manifest["files"].get(name))
    if damaged:
        fail(f"arsip rusak: isi tidak cocok dengan manifes ({', '.join(damaged[:3])}); tidak ada yang diubah")
    return manifest


def member_name(member: tarfile.TarInfo, seen: dict) -> str:
    """Only regular files at the places a backup writes; anything else is not one of our archives."""
    path = PurePosixPath(member.name)
    allowed = path.parts and (str(path) in (MANIFEST, *DATABASE_MEMBER.values()) or path.parts[0] == EVIDENCE)
    if not member.isfile() or not allowed or path.is_absolute() or ".." in path.parts or str(path) in seen:
        raise tarfile.TarError(f"unexpected member {member.name!r}")
    return str(path)


def copy_hashing(source, output) -> str:
    sha256 = hashlib.sha256()
    while chunk := source.read(1024 * 1024):
        sha256.update(chunk)
        output.write(chunk)
    return sha256.hexdigest()


def read_manifest(work: Path, archive: Path) -> dict:
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    ours = isinstance(manifest, dict) and manifest.get("format") == FORMAT and manifest.keys() >= MANIFEST_KEYS
    if not ours or not isinstance(manifest["files"], dict):
        fail(f"arsip rusak atau bukan cadangan PEKPPP: {archive}")
    if manifest.get("format_version") != FORMAT_VERSION:
        fail(f"format cadangan versi {manifest.get('format_version')} tidak dikenal oleh aplikasi ini")
    return manifest


def check_restorable(manifest: dict, kind: str, evidence: Path, force: bool) -> None:
    if manifest["database"] != kind:
        fail(f"arsip berisi basis data {KIND_LABEL.get(manifest['database'], manifest['database'])}, "
             f"sedangkan aplikasi ini memakai {KIND_LABEL[kind]}")
    revision = manifest["alembic_revision"]
    if revision and revision not in {script.revision for script in migrations().walk_revisions()}:
        fail(f"arsip dibuat oleh versi aplikasi yang lebih baru (revisi skema {revision}); perbarui aplikasi dahulu")
    if not force and (database_has_rows() or evidence_files(evidence)):
        fail("basis data atau folder bukti dukung tujuan sudah berisi data; tambahkan --force untuk menimpanya")


def database_has_rows() -> bool:
    with db.engine.connect() as connection:
        tables = [name for name in sa.inspect(connection).get_table_names() if name != "alembic_version"]
        return any(connection.scalar(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)) for name in tables)


def restore_database(kind: str, snapshot: Path) -> None:
    db.session.remove()
    if kind == "sqlite":
        target = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(snapshot)) as source:
                source.backup(target.driver_connection)  # page by page into the live file: open connections stay valid
        except sqlite3.Error as exc:
            fail(f"basis data tidak dapat dipulihkan: {exc}")
        finally:
            target.close()
    else:
        db.engine.dispose()  # no connection of ours may hold a lock while pg_restore drops the old tables
        run_postgres_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                          str(snapshot))
    db.engine.dispose()


def replace_evidence(staged: Path, evidence: Path) -> Path | None:
    """Put the archived evidence folder in place; an old non-empty one is kept aside, never deleted."""
    aside = None
    if evidence_files(evidence):
        aside = evidence.with_name(f"{evidence.name}-before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}")
        evidence.rename(aside)
    elif evidence.exists():
        shutil.rmtree(evidence)
    if staged.is_dir():
        staged.rename(evidence)
    else:
        evidence.mkdir(parents=True)
    return aside


# --- shared -------------------------------------------------------------------------------------------------


def database_kind() -> str:
    kind = db.engine.url.get_backend_name()
    if kind not in DATABASE_MEMBER:
        fail(f"basis data {kind} tidak didukung; cadangan hanya untuk SQLite dan PostgreSQL")
    if kind == "sqlite" and db.engine.url.database not in (None, "", ":memory:"):
        Path(db.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    return kind


def migrations() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


def run_postgres_tool(program: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the configured database; the password goes through the environment."""
    executable = shutil.which(program)
    if executable is None:
        fail(f"program {program} tidak ditemukan; pasang klien PostgreSQL (paket postgresql-client) "
             "dengan versi yang sama atau lebih baru dari server")
    url = db.engine.url
    environment = {**os.environ, "PGPASSWORD": url.password} if url.password else None
    dbname = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([executable, f"--dbname={dbname}", *arguments], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"{program} gagal: {(done.stderr.strip().splitlines() or ['tanpa pesan'])[-1]}")
