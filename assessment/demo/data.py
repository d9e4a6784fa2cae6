"""The demo's fixed content: units, accounts and the half-filled Disdukcapil form."""
from __future__ import annotations

from ..domain.models import AssessmentStatus, Role, UnitKind

DEMO_PASSWORD = "demo-pekppp"

UNITS = [
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", UnitKind.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", UnitKind.DINAS),
    ("Dinas Kesehatan", "Dinas Kesehatan", UnitKind.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan", UnitKind.DINAS),
    ("Dinas Sosial", "Dinas Sosial", UnitKind.DINAS),
    ("Dinas Komunikasi, Informatika, Sandi dan Statistik", "Diskominfo", UnitKind.DINAS),
    ("UPTD Puskesmas Cibeber", "Puskesmas Cibeber", UnitKind.PUSKESMAS),
    ("UPTD Puskesmas Pulomerak", "Puskesmas Pulomerak", UnitKind.PUSKESMAS),
]

# username, full name, NIP, role, unit short name
ACCOUNTS = [
    ("admin", "Rina Marlina, S.Kom.", "198703122010012004", Role.ADMIN, None),
    ("organisasi", "Drs. Ahmad Fauzi, M.Si.", "197405161998031003", Role.REVIEWER, None),
    ("dpmptsp", "Hj. Siti Nurjanah, S.E., M.M.", "197209071997032002", Role.OPD, "DPMPTSP"),
    ("disdukcapil", "Bambang Hermawan, S.STP., M.Si.", "197811252000121001", Role.OPD, "Disdukcapil"),
    ("dinkes", "dr. Ratna Dewi Kartika, M.K.M.", "197506142003122005", Role.OPD, "Dinas Kesehatan"),
    ("dindik", "Drs. H. Mulyadi, M.Pd.", "196908171994031008", Role.OPD, "Dinas Pendidikan"),
    ("dinsos", "Yayat Supriatna, S.Sos., M.Si.", "197301201998031004", Role.OPD, "Dinas Sosial"),
    ("diskominfo", "Agus Salim, S.T., M.T.", "198004092005011006", Role.OPD, "Diskominfo"),
    ("pkm-cibeber", "drg. Nurhayati", "198110232009012003", Role.OPD, "Puskesmas Cibeber"),
    ("pkm-pulomerak", "dr. Fajar Ramadhan", "198512072011011002", Role.OPD, "Puskesmas Pulomerak"),
]

# Pangkat/golongan printed under the signatures of the units' heads.
PANGKAT = {
    "dpmptsp": "Pembina Utama Muda (IV/c)", "disdukcapil": "Pembina Tingkat I (IV/b)",
    "dinkes": "Pembina Utama Muda (IV/c)", "dindik": "Pembina Utama Muda (IV/c)", "dinsos": "Pembina Tingkat I (IV/b)",
    "diskominfo": "Pembina Tingkat I (IV/b)", "pkm-cibeber": "Penata Tingkat I (III/d)", "pkm-pulomerak": "Pembina (IV/a)",
}

LETTERHEAD = {
    "pemda_name": "Pemerintah Kota Cilegon",
    "office_name": "Sekretariat Daerah · Bagian Organisasi",
    "address": "Kompleks Perkantoran Pemerintah Kota Cilegon, Provinsi Banten (alamat contoh)",
    "postal_code": "42411",
    "phone": "(0254) 000 000",
    "email": "organisasi@contoh.go.id",
    "website": "contoh.go.id",
    "city": "Cilegon",
    "signatory_title": "Kepala Bagian Organisasi",
    "signatory_name": "Drs. Hendra Gunawan, M.Si.",
    "signatory_nip": "197203151996031002",
    "signatory_pangkat": "Pembina Tingkat I (IV/b)",
    "sekda_name": "Dr. H. Ahmad Sobari, M.Si.",
    "sekda_nip": "196805121993031006",
    "sekda_pangkat": "Pembina Utama Madya (IV/d)",
    "addressee": "Wali Kota Cilegon",
}

# Where each unit stands in the current period, and how strong its answers are (typical level).
CURRENT_STATES = {
    "DPMPTSP": (None, 0),  # not started: the newcomer's walk-through
    "Disdukcapil": (AssessmentStatus.DRAFT, 4),
    "Dinas Kesehatan": (AssessmentStatus.SUBMITTED, 4),
    "Dinas Pendidikan": (AssessmentStatus.SUBMITTED, 3),
    "Dinas Sosial": (AssessmentStatus.RETURNED, 3),
    "Diskominfo": (AssessmentStatus.VERIFIED, 4),
    "Puskesmas Cibeber": (AssessmentStatus.VERIFIED, 3),
    "Puskesmas Pulomerak": (None, 0),
}

# Typical level of each unit in the past (verified) period.
PAST_STRENGTH = {
    "DPMPTSP": 4, "Disdukcapil": 4, "Dinas Kesehatan": 3, "Dinas Pendidikan": 3,
    "Dinas Sosial": 2, "Diskominfo": 4, "Puskesmas Cibeber": 3, "Puskesmas Pulomerak": 2,
}

# Half of Disdukcapil's form: aspects a and b and the first indicator of c, in the unit's own words.
DISDUKCAPIL_ANSWERS = {
    "1.a.Ak": (5, "SP 14 komponen ditetapkan dengan SK Kepala Dinas, disusun bersama forum konsultasi publik, "
                  "dimonev tiap semester."),
    "2.a.P": (4, "Forum konsultasi publik melibatkan pengguna layanan, akademisi Untirta, kecamatan dan media lokal."),
    "3.a.T": (4, "Dipublikasikan di papan informasi, laman resmi, Instagram dan SIPP Nasional."),
    "4.a.K": (3, "SP ditinjau setiap dua tahun untuk seluruh jenis layanan; terakhir tahun 2025."),
    "5.a.K": (5, "Maklumat pelayanan ditetapkan, dipasang di ruang tunggu dan diunggah di laman resmi."),
    "6.a.B": (4, "SKM sesuai PermenPANRB 14/2017, hasil dipasang di ruang tunggu dan laman resmi."),
    "7.a.T": (3, "Hasil SKM dipublikasikan di papan informasi, laman resmi dan Instagram."),
    "8.a.Ak": (4, "Dari 6 rencana tindak lanjut SKM, 5 sudah selesai (83%)."),
    "9.a.Ak": (3, "Tindak lanjut dimulai paling lambat 6 bulan setelah laporan SKM."),
    "10.b.As": (4, "Layanan tanpa istirahat, Sabtu pagi, dan jemput bola di kecamatan."),
    "11.b.K": (3, "Kode etik memuat hak dan kewajiban, anti-KKN, anti-diskriminasi dan sanksi."),
    "12.b.Ak": (3, "Penghargaan pegawai teladan, diklat teknis dan konseling."),
    "13.b.K": (4, "Kriteria penghargaan: kinerja, disiplin, inovasi dan kepuasan masyarakat."),
    "14.b.K": (5, "Seragam, ID card, pin, penerapan 5S dan moto 'Cepat, Tepat, Ramah'."),
    "15.c.K": (3, "Parkir roda dua dan empat terpisah, juru parkir, dan CCTV."),
}
