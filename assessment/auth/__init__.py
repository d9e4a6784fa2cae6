"""Login, logout and password change."""
from .views import bp

__all__ = ["bp"]
