"""Results of a period: ranking, predikat distribution, aspect averages, year over year, Excel export."""
from .views import bp

__all__ = ["bp"]
