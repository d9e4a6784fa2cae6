"""The instrument as a read-only, printable page, so a unit can prepare before it fills the form."""
from .views import bp

__all__ = ["bp"]
