"""Login, logout and password change."""
from .views import bp, session_user

__all__ = ["bp", "session_user"]
