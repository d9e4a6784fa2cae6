"""What the self-assessment and the review forms share: per-indicator field names and the version field."""
from __future__ import annotations

from wtforms import Field


def field_key(code: str) -> str:
    """An indicator code as a form-field name and page anchor: "1.a.Ak" -> "1_a_Ak"."""
    return code.replace(".", "_")


class VersionField(Field):
    """The version of a row (an answer, a review) when the page was loaded (0: none yet), in a hidden input.

    A post without it (not from our page) is not checked for staleness.
    """

    def process_formdata(self, valuelist):
        self.data = int(valuelist[0]) if valuelist and valuelist[0].isdigit() else None
