"""The OPD's yearly self-assessment: dashboard, one page per aspect, summary and submit."""
from .views import bp

__all__ = ["bp"]
