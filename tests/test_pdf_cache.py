"""The PDF cache on disk: bounded (least recently used files go first), kept across restarts, cheap to fill."""
import os

from assessment.web.printing import cache
from assessment.web.printing.cache import RESCAN_EVERY, PdfCache

KB = 1024


def test_the_least_recently_used_files_go_when_the_bound_is_passed(tmp_path):
    pdfs = PdfCache(tmp_path, max_bytes=10 * KB)
    for age, key in ((300, "a"), (200, "b"), (100, "c")):  # written long ago, a first
        pdfs.put(key, b"x" * 3 * KB)
        os.utime(tmp_path / f"{key}.pdf", (os.path.getmtime(tmp_path / f"{key}.pdf") - age,) * 2)
    assert pdfs.get("a") is not None  # read now: the most recently used
    pdfs.put("d", b"x" * 3 * KB)  # 12 KB > 10 KB
    assert sorted(path.stem for path in tmp_path.glob("*.pdf")) == ["a", "c", "d"]
    assert sum(path.stat().st_size for path in tmp_path.glob("*.pdf")) <= 10 * KB


def test_a_new_process_finds_what_an_earlier_one_stored(tmp_path):
    PdfCache(tmp_path, max_bytes=10 * KB).put("kartu", b"%PDF-1.7 kartu")
    cache._tallies.clear()  # as after a restart
    assert PdfCache(tmp_path, max_bytes=10 * KB).get("kartu") == b"%PDF-1.7 kartu"


def test_filling_the_cache_does_not_scan_the_folder_after_every_write(tmp_path, monkeypatch):
    scans = []
    real_evict = PdfCache._evict
    monkeypatch.setattr(PdfCache, "_evict", lambda self: scans.append(1) or real_evict(self))
    pdfs = PdfCache(tmp_path, max_bytes=1024 * KB)
    for number in range(2 * RESCAN_EVERY):
        pdfs.put(f"kartu-{number}", b"x" * KB)
    assert len(scans) == 2  # at the first write (a folder not seen yet), then after RESCAN_EVERY more
    assert len(list(tmp_path.glob("*.pdf"))) == 2 * RESCAN_EVERY
