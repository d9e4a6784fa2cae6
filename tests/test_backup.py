"""``flask backup`` / ``flask restore``: an empty instance gets every row and every evidence file back, byte for byte;
a damaged or foreign archive is refused before anything changes."""
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from assessment import create_app
from assessment.demo.evidence import tiny_pdf
from assessment.domain.evidence.storage import stage
from assessment.domain.models import Answer, EvidenceFile
from assessment.extensions import db
from tests import factories
from tests.factories import fill

ARCHIVE_NAME = re.compile(r"pekppp-backup-\d{8}-\d{6}\.tar\.gz")


@pytest.fixture
def make_instance(tmp_path):
    """Apps with their own database and evidence folder, as on two separate servers."""
    apps = []

    def build(database_url: str, name: str):
        folder = tmp_path / name
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                          "EVIDENCE_DIR": str(folder / "evidence")})
        apps.append(app)
        return app, folder / "evidence"

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def fill_instance(app) -> None:
    """Units, users, two assessments with answers, and an evidence file in each assessment's folder."""
    with app.app_context():
        db.create_all()
        stamp()  # as after `flask db upgrade`: the archive records the schema revision
        world = factories.make_world()
        fill(world.assessment, world.opd, level_of=lambda indicator: len(indicator.code) % 6)
        fill(world.other_assessment, world.other_opd, codes={"1.a.Ak", "2.a.P"})
        for assessment, data, extension, mime in ((world.assessment, tiny_pdf(["SK Maklumat"]), "pdf", "application/pdf"),
                                                  (world.other_assessment, os.urandom(5000), "png", "image/png")):
            db.session.add(EvidenceFile(assessment_id=assessment.id, indicator_code="1.a.Ak", original_name=f"bukti.{extension}",
                                        stored_name=stage(db.session(), assessment.id, data, extension), mime_type=mime,
                                        size=len(data), sha256=hashlib.sha256(data).hexdigest()))
        db.session.commit()


def every_row(app) -> dict[str, list]:
    """Every row of every table the database holds (alembic_version too), in primary-key order."""
    with app.app_context(), db.engine.connect() as connection:
        tables = sa.MetaData()
        tables.reflect(connection)
        return {table.name: connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
                for table in tables.sorted_tables}


def every_file(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def make_backup(app, folder: Path) -> Path:
    result = invoke(app, "backup", str(folder))
    assert result.exit_code == 0, result.stderr
    (archive,) = folder.iterdir()
    assert ARCHIVE_NAME.fullmatch(archive.name) and archive.name in result.stdout
    return archive


def test_restore_into_an_empty_instance_brings_back_every_row_and_file(new_database, make_instance, tmp_path):
    source, source_evidence = make_instance(new_database(), "source")
    fill_instance(source)
    archive = make_backup(source, tmp_path / "backups")

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == "pekppp-backup" and manifest["evidence_files"] == 2
    assert every_row(source)["alembic_version"] == [(manifest["alembic_revision"],)]
    assert set(names) == {"manifest.json", *manifest["files"]} and len(manifest["files"]) == 3
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target, target_evidence = make_instance(new_database(), "target")
    result = invoke(target, "restore", str(archive))
    assert result.exit_code == 0, result.stderr
    assert "2 berkas bukti dukung" in result.stdout

    restored = every_row(target)
    assert restored == every_row(source)
    assert len(restored["answers"]) == len(factories.INSTRUMENT.indicators) + 2
    assert every_file(target_evidence) == every_file(source_evidence) and len(every_file(target_evidence)) == 2
    with target.app_context():  # the restored database works through the models too
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer).where(Answer.level.is_not(None))) == 32


def test_restore_refuses_a_non_empty_instance_unless_forced(new_database, make_instance, tmp_path):
    source, _ = make_instance(new_database(), "source")
    fill_instance(source)
    archive = make_backup(source, tmp_path / "backups")
    target, target_evidence = make_instance(new_database(), "target")
    assert invoke(target, "restore", str(archive)).exit_code == 0
    (target_evidence / "tambahan.txt").write_text("diunggah sesudah pemulihan")

    refused = invoke(target, "restore", str(archive))
    assert refused.exit_code != 0 and "--force" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert (target_evidence / "tambahan.txt").exists()

    forced = invoke(target, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.stderr
    assert every_row(target) == every_row(source) and "tambahan.txt" not in every_file(target_evidence)
    (kept,) = target_evidence.parent.glob("evidence-before-restore-*")
    assert (kept / "tambahan.txt").read_text() == "diunggah sesudah pemulihan"


def test_backup_of_an_instance_without_an_evidence_folder_has_no_files(make_instance, tmp_path):
    app, evidence = make_instance(f"sqlite:///{tmp_path / 'kosong.sqlite'}", "fresh")
    with app.app_context():
        db.create_all()
    archive = make_backup(app, tmp_path / "backups")
    assert not evidence.exists()
    with tarfile.open(archive) as tar:
        assert json.load(tar.extractfile("manifest.json"))["evidence_files"] == 0


def _repack(archive: Path, change) -> None:
    """Rewrite the archive with ``change(name, data)`` applied to every member: a valid gzip, other content."""
    with tarfile.open(archive) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def flip_a_byte(archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))


def cut_short(archive: Path) -> None:
    archive.write_bytes(archive.read_bytes()[:-200])


def change_an_evidence_file(archive: Path) -> None:
    _repack(archive, lambda name, data: data + b"!" if name.startswith("evidence/") and name.endswith(".pdf") else data)


def change_the_database(archive: Path) -> None:
    _repack(archive, lambda name, data: data[:-1] + b"\x01" if name.startswith("database.") else data)


def foreign_archive(archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        data = b"bukan cadangan"
        info = tarfile.TarInfo("catatan.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def not_an_archive(archive: Path) -> None:
    archive.write_bytes(gzip.compress(b"just some text"))


@pytest.mark.parametrize(("damage", "message"), [
    (flip_a_byte, "arsip rusak"),
    (cut_short, "arsip rusak"),
    (change_an_evidence_file, "tidak cocok dengan manifes (evidence/"),
    (change_the_database, "tidak cocok dengan manifes (database.sqlite)"),
    (foreign_archive, "bukan cadangan PEKPPP"),
    (not_an_archive, "bukan cadangan PEKPPP"),
])
def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(make_instance, tmp_path, damage, message):
    source, _ = make_instance(f"sqlite:///{tmp_path / 'source.sqlite'}", "source")
    fill_instance(source)
    archive = make_backup(source, tmp_path / "backups")
    damage(archive)
    target, target_evidence = make_instance(f"sqlite:///{tmp_path / 'target.sqlite'}", "target")

    result = invoke(target, "restore", str(archive))
    assert result.exit_code != 0 and result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with target.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
    assert not every_file(target_evidence.parent)  # nothing unpacked, nothing left behind


@pytest.mark.requires_postgres
def test_backup_explains_a_missing_pg_dump(app, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found
    result = invoke(app, "backup", str(tmp_path / "backups"))
    assert result.exit_code != 0 and "pg_dump tidak ditemukan" in result.stderr
