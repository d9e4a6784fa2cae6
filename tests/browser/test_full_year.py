"""Scenario 1, desktop: a whole year for DPMPTSP, from the first answer to the meeting pack.

The demo's current period runs on PEKPPP-2025: the OPD answers the F-01 facts of all six aspects (each
indicator's facts give the level wanted) with evidence and submits; the reviewer finds one fact not borne out
by the evidence, which lowers that indicator's level, notes it and returns the form; the OPD corrects that fact
and resubmits; the reviewer sees the change and verifies. The scorecard, the recap and the meeting pack are then
read back as text.
"""
from __future__ import annotations

import re

import pytest

from assessment.domain.formatting import angka
from assessment.domain.scoring import score
from assessment.web.form_fields import field_key
from tests.browser.helpers import (
    FACTS_INSTRUMENT,
    answer_facts,
    attach_evidence,
    download,
    expect,
    log_in,
    pdf_text,
    reached,
)

SCENARIO = "1-tahun-penuh"
pytestmark = pytest.mark.browser

INSTRUMENT = FACTS_INSTRUMENT
UNIT = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
# The level each indicator's facts give when answered for the wanted one (the F-02 rule skips a few levels)
LEVELS = {ind.code: reached(ind.code, (4, 3, 5, 4, 2)[index % 5]) for index, ind in enumerate(INSTRUMENT.indicators)}
LEVELS["17.c.As"] = 0  # an indicator at level 0 needs no evidence
CHANGED, VERIFIED_LEVEL = "2.a.P", 2  # the reviewer lowers this one (self-assessed 3); the OPD follows
DOUBTED, SHOWN = "unsur", ("pengguna", "ahli")  # its fact not borne out: the evidence shows two of the three unsur
FACT_NOTE = "Daftar hadir forum konsultasi publik tidak memuat wakil instansi."
REVIEWER_NOTE = "Notulen forum konsultasi publik belum dilampirkan; level 2 sesuai bukti yang ada."
RETURN_REASON = "Mohon perbaiki indikator 2.a.P sesuai catatan evaluator."


def test_a_year_from_first_answer_to_meeting_pack(open_page, screenshots, problems):
    opd = open_page()
    fill_in_and_submit(opd, screenshots)
    reviewer = open_page()
    review_and_return(reviewer, screenshots)
    # the one refusal on purpose: "Tidak sesuai" autosaved before its note is written
    unexpected = [p for p in problems.take_report() if not re.search(r"HTTP 422: POST .*/verifikasi|status of 422", p)]
    assert not unexpected, "the browser reported problems:\n" + "\n".join(unexpected)
    correct_and_resubmit(opd, screenshots)
    check_scorecard(reviewer, verify(reviewer, screenshots))
    check_recap_and_meeting_pack(reviewer, screenshots)


def fill_in_and_submit(page, screenshots) -> None:
    log_in(page, "dpmptsp", screenshots)
    screenshots.take(page, "opd-beranda-belum-mulai")
    page.get_by_role("link", name="Mulai mengisi").click()
    for aspect in INSTRUMENT.aspects:
        expect(page.get_by_role("heading", level=2, name=f"Aspek {aspect.code.upper()} · {aspect.name}")).to_be_visible()
        for index, indicator in enumerate(aspect.indicators):
            explanation = f"Penjelasan {indicator.code}: dokumen tersedia di unit." if index % 2 == 0 else None
            answer_facts(page, indicator.code, LEVELS[indicator.code], explanation)
        for indicator in aspect.indicators:
            if LEVELS[indicator.code] > 0:
                attach_evidence(page, indicator.code, UNIT)
        screenshots.take(page, f"opd-aspek-{aspect.code}-terjawab")
        save_and_go_on(page)
    expect(page.get_by_role("heading", level=2, name="Informasi Tambahan")).to_be_visible()
    answer_facts(page, "antrian", 3, "Antrean dengan nomor urut dan layar panggil.")
    save_and_go_on(page)
    submit(page, screenshots, "opd-ringkasan-lengkap")
    log_out(page)


def save_and_go_on(page) -> None:
    page.get_by_role("button", name=re.compile(r"(lanjut|ke ringkasan) ›$")).click()
    expect(page.get_by_role("status").filter(has_text="Draf tersimpan.")).to_be_visible()


def submit(page, screenshots, name: str) -> None:
    expect(page.get_by_text(f"Seluruh {len(INSTRUMENT.indicators)} indikator sudah dijawab.")).to_be_visible()
    screenshots.take(page, name)
    page.get_by_label(re.compile("^Saya menyatakan")).check()
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_text("Penilaian mandiri berhasil dikirim ke Bagian Organisasi.")).to_be_visible()
    screenshots.take(page, "opd-beranda-terkirim")


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()


def open_review(page, screenshots, name: str) -> None:
    log_in(page, "organisasi")
    expect(page).to_have_url(re.compile("/organisasi/$"))
    screenshots.take(page, f"evaluator-antrian-{name}")
    page.get_by_role("row").filter(has_text="DPMPTSP").get_by_role("link", name="Periksa").click()
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()


def agree_with_the_rest(page, count: int) -> None:
    page.get_by_role("button", name=f"Tandai {count} indikator yang belum diperiksa sebagai sesuai").click()
    expect(page.get_by_text("Indikator yang belum diperiksa ditandai sesuai.")).to_be_visible()


def review_and_return(page, screenshots) -> None:
    open_review(page, screenshots, "dikirim")
    for code, level in LEVELS.items():  # the uploads arrived, each with its own indicator
        expect(page.locator(f"#rev-{field_key(code)} .evidence")).to_contain_text(
            f"bukti-{code}.pdf" if level else "Tidak ada berkas.")
    key = field_key(CHANGED)
    assert LEVELS[CHANGED] == 3
    page.locator(f"label[for='{key}-cek-{DOUBTED}-tidak']").click()  # not borne out: what the evidence shows, why
    expect(page.locator(f"#rev-{key} [data-entry-error]")).to_contain_text("Catatan")  # asked for at once ...
    expect(page.locator(f"[id='{key}-catatan-{DOUBTED}']")).to_be_visible()  # ... and its field is in sight
    page.locator(f"[id='{key}-catatan-{DOUBTED}']").fill(FACT_NOTE)
    for option in INSTRUMENT.item(CHANGED).fact(DOUBTED).options:
        page.locator(f"[id='{key}-nilai-{DOUBTED}-{option.key}']").set_checked(option.key in SHOWN)
    page.locator(f"[id='{key}-note']").fill(REVIEWER_NOTE)
    page.get_by_role("button", name="Simpan catatan verifikasi").click()
    expect(page.get_by_text("Catatan verifikasi tersimpan.")).to_be_visible()
    expect(page.locator(f"#rev-{key} [data-fact-outcome]")).to_contain_text(f"Level terverifikasi: {VERIFIED_LEVEL}")
    agree_with_the_rest(page, len(INSTRUMENT.indicators) - 1)
    screenshots.take(page, "evaluator-semua-diperiksa")
    page.get_by_label("Alasan pengembalian").fill(RETURN_REASON)
    page.get_by_role("button", name="Kembalikan ke unit").click()
    expect(page.get_by_text("Penilaian dikembalikan ke unit untuk diperbaiki.")).to_be_visible()
    screenshots.take(page, "evaluator-dikembalikan")
    log_out(page)


def correct_and_resubmit(page, screenshots) -> None:
    log_in(page, "dpmptsp")
    expect(page.get_by_text(f"Dikembalikan untuk perbaikan: {RETURN_REASON}")).to_be_visible()
    screenshots.take(page, "opd-beranda-dikembalikan")
    page.get_by_role("link", name="Perbaiki sesuai catatan").click()
    indicator = page.locator(f"#ind-{field_key(CHANGED)}")
    expect(indicator.locator(".reviewer-note")).to_have_text([  # the indicator's note (the unit may answer it), the fact's
        re.compile(rf"^Catatan evaluator \(level terverifikasi {VERIFIED_LEVEL}\): "
                   rf"{re.escape(REVIEWER_NOTE)}\s*Tanggapi catatan$"),
        f"Evaluator: tidak sesuai bukti. {FACT_NOTE}"])
    screenshots.take(page, "opd-catatan-evaluator", full_page=False)
    answer_facts(page, CHANGED, VERIFIED_LEVEL, "Disesuaikan dengan catatan evaluator: notulen menyusul.")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf tersimpan.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Ringkasan")).click()
    submit(page, screenshots, "opd-ringkasan-perbaikan")
    log_out(page)


def verify(page, screenshots) -> tuple[str, str, str]:
    """Verify after the resubmission; returns the IPP, predikat and kategori the page shows."""
    open_review(page, screenshots, "dikirim-ulang")
    expect(page.get_by_text("1 indikator berubah")).to_be_visible()
    expect(page.locator(f"#rev-{field_key(CHANGED)}")).to_contain_text(f"Berubah: level 3 → {VERIFIED_LEVEL}")
    screenshots.take(page, "evaluator-indikator-berubah")
    agree_with_the_rest(page, 1)
    page.get_by_label(re.compile("^Saya telah memeriksa seluruh indikator")).check()
    page.get_by_role("button", name=re.compile(r"^Verifikasi: IPP")).click()
    expect(page.get_by_text(re.compile("^Penilaian terverifikasi."))).to_be_visible()
    screenshots.take(page, "evaluator-terverifikasi")
    card = page.locator("[data-score-card=verified]")
    shown = (card.locator(".score-value").inner_text(), card.locator(".predikat").inner_text(),
             card.locator(".predikat").get_attribute("title"))
    expected = score(INSTRUMENT, {**LEVELS, CHANGED: VERIFIED_LEVEL})
    assert shown == (angka(expected.ipp), expected.predikat.letter, expected.predikat.kategori)
    return shown


def check_scorecard(page, shown: tuple[str, str, str]) -> None:
    text = pdf_text(download(page, page.get_by_role("link", name="Kartu nilai (PDF)")))
    for expected in (UNIT, *shown, "Terverifikasi"):
        assert expected in text, f"{expected!r} missing from the scorecard: {text[:600]}"
    assert "DRAF" not in text


def check_recap_and_meeting_pack(page, screenshots) -> None:
    page.get_by_role("link", name="Hasil", exact=True).click()
    expect(page).to_have_url(re.compile("/organisasi/hasil/"))
    screenshots.take(page, "evaluator-hasil")
    assert UNIT in pdf_text(download(page, page.get_by_role("link", name="Rekap (PDF)")))
    page.get_by_role("button", name="Buat paket rapat").click()
    screenshots.take(page, "evaluator-paket-rapat-disusun", full_page=False)  # the page reloads itself every 2 s
    link = page.get_by_role("link", name="Unduh paket rapat (PDF)")
    expect(link).to_be_visible(timeout=120_000)  # the page refreshes itself every 2 s until then
    screenshots.take(page, "evaluator-paket-rapat-siap")
    with page.expect_download() as pack:
        link.click()
    assert UNIT in pdf_text(pack.value.path().read_bytes())
