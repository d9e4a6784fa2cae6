"""Printed documents (WeasyPrint): scorecard, Berita Acara, recap, meeting pack; and their public check page."""
from . import settings_views  # noqa: F401  (its route joins bp)
from .views import bp

__all__ = ["bp"]
