"""Evidence (bukti dukung) uploads: type checked from the content, stored outside static/ under random names."""
from .views import bp

__all__ = ["bp"]
