"""Login, logout and password change; server-side sessions."""
from ..domain.sessions import load_session_user
from .views import bp

__all__ = ["bp", "load_session_user"]
