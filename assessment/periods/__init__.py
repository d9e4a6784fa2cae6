"""Admin pages for evaluation periods: create, open and close, deadline extensions per unit."""
from .views import bp

__all__ = ["bp"]
