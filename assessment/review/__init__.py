"""Review and verification by the Bagian Organisasi."""
from .views import bp

__all__ = ["bp"]
