"""Public surveys of each unit and period: the SKM of PermenPANRB 14/2017 and the F-03 users' questionnaire.

The public form (public.py, its own blueprint) needs no login; the unit's and the Bagian Organisasi's pages
(views.py) show the numbers, take paper questionnaires, and print the poster and the Laporan SKM (documents.py)."""
from .public import bp as public_bp
from .views import bp

__all__ = ["bp", "public_bp"]
