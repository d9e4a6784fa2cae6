"""The field visit (observasi lapangan): the evaluators' record of their visit to a unit, its findings and photos."""
from .views import bp

__all__ = ["bp"]
