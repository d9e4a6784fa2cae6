"""Follow-up (tindak lanjut) of recommendations: the unit's reports, the reviewer's answers, the monitoring page
and the Laporan Pemantauan Tindak Lanjut."""
from .views import bp

__all__ = ["bp"]
