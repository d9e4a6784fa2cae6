"""Admin pages: units and user accounts (create, edit, deactivate, CSV import, password reset)."""
from .views import bp

__all__ = ["bp"]
