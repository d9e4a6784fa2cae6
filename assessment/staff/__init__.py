"""Bagian Organisasi's pages (reviewers and the admin)."""
from .views import bp

__all__ = ["bp"]
