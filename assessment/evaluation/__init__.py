"""The evaluation as a Pemda runs it: the evaluator team, its assignments and its progress."""
from .views import bp

__all__ = ["bp"]
