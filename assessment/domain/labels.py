"""Every label the app prints for a kind, a role, a status or an audit action: one place to read and change them."""
from __future__ import annotations

from .models import AssessmentStatus, DeliveryMode, FindingKind, OutboxStatus, Role, UnitKind

ROLE_LABELS = {Role.OPD: "Kepala OPD / operator", Role.REVIEWER: "Evaluator", Role.ADMIN: "Administrator"}

STATUS_LABELS = {
    AssessmentStatus.DRAFT: "Draf",
    AssessmentStatus.SUBMITTED: "Dikirim",
    AssessmentStatus.RETURNED: "Dikembalikan",
    AssessmentStatus.PROVISIONAL: "Hasil sementara",
    AssessmentStatus.VERIFIED: "Terverifikasi",
}

KIND_LABELS = {
    UnitKind.DINAS: "Dinas",
    UnitKind.BADAN: "Badan",
    UnitKind.KECAMATAN: "Kecamatan",
    UnitKind.PUSKESMAS: "Puskesmas",
    UnitKind.LAINNYA: "Lainnya",
}

DELIVERY_LABELS = {
    DeliveryMode.LURING: "Luring (tatap muka)",
    DeliveryMode.DARING: "Daring (elektronik)",
    DeliveryMode.BOTH: "Luring dan daring",
}

OUTBOX_STATUS_LABELS = {OutboxStatus.QUEUED: "Menunggu", OutboxStatus.SENT: "Terkirim", OutboxStatus.FAILED: "Gagal"}

# Where a recommendation's follow-up stands (domain/followup.py Standing), and the badge that shows it.
FOLLOWUP_LABELS = {
    "open": "Belum dilaporkan",
    "reported": "Menunggu tanggapan",
    "accepted": "Selesai",
    "asked_again": "Diminta dilengkapi",
    "late": "Terlambat",
}
FOLLOWUP_BADGES = {
    "open": "text-bg-light border",
    "reported": "text-bg-info",
    "accepted": "text-bg-success",
    "asked_again": "text-bg-warning",
    "late": "text-bg-danger",
}
FOLLOWUP_STEP_LABELS = {"report": "Laporan unit", "accept": "Diterima evaluator", "ask_again": "Diminta dilengkapi"}
FINDING_LABELS = {FindingKind.CONFIRMED: "Sesuai", FindingKind.NOT_AS_CLAIMED: "Tidak sesuai klaim"}

ACTION_LABELS = {
    "answer.level": "Level mandiri",
    "answer.justification": "Penjelasan mandiri",
    "answer.facts": "Fakta mandiri",
    "review.facts": "Pemeriksaan fakta",
    "review.level": "Level verifikasi",
    "review.note": "Catatan evaluator",
    "assessment.submit": "Dikirim",
    "assessment.return": "Dikembalikan untuk perbaikan",
    "assessment.verify": "Diverifikasi",
    "assessment.reopen": "Dibuka kembali",
    "assessment.provisional": "Hasil sementara dikirim (masa sanggah dibuka)",
    "assessment.finalize": "Verifikasi final (masa sanggah ditutup)",
    "window.accepted": "Unit menerima hasil sementara",
    "window.done": "Unit selesai mengajukan sanggahan",
    "window.lapsed": "Masa sanggah berakhir tanpa tanggapan (dianggap menerima)",
    "objection.file": "Sanggahan diajukan",
    "objection.accept": "Sanggahan diterima",
    "objection.refuse": "Sanggahan ditolak",
    "objection.evidence": "Bukti baru sanggahan diunggah",
    "note.message": "Percakapan catatan evaluator",
    "visit.record": "Observasi lapangan dicatat",
    "visit.date": "Tanggal observasi lapangan",
    "visit.members": "Tim observasi lapangan",
    "visit.officials": "Pejabat yang ditemui saat observasi",
    "visit.exit_notes": "Catatan pertemuan penutup observasi",
    "visit.finding": "Temuan observasi lapangan",
    "visit.photo_add": "Foto observasi diunggah",
    "visit.photo_delete": "Foto observasi dihapus",
    "period.extension": "Perpanjangan batas waktu",
    "recommendation.change": "Rekomendasi diubah",
    "followup.report": "Laporan tindak lanjut rekomendasi",
    "followup.accept": "Tindak lanjut diterima",
    "followup.ask_again": "Tindak lanjut diminta dilengkapi",
    "followup.evidence": "Bukti tindak lanjut diunggah",
    "team.decree": "SK tim evaluator",
    "team.member": "Anggota tim evaluator",
    "assignment.change": "Penugasan evaluator",
    "evidence.add": "Bukti dukung diunggah",
    "evidence.delete": "Bukti dukung dihapus",
    "user.password_reset": "Kata sandi direset",
    "user.update": "Akun diubah",
    "unit.update": "Unit diubah",
    "instrument.import": "Instrumen diimpor",
    "auth.login": "Masuk",
    "auth.login_failed": "Gagal masuk",
    "auth.logout": "Keluar",
    "auth.password_check_failed": "Kata sandi saat ini salah",
}
