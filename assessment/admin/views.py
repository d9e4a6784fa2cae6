"""The admin blueprint: importing this module registers every admin route on ``bp``."""
from . import import_views, instrument_views, unit_views, user_views
from .blueprint import bp

__all__ = ["bp", "import_views", "instrument_views", "unit_views", "user_views"]
