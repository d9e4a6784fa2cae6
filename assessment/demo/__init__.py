"""Demonstration data: units, accounts, an open period with every status, and a verified past year."""
from .scenario import load_demo

__all__ = ["load_demo"]
