"""The one error an instrument file can raise: it carries every problem found, each naming its place."""
from __future__ import annotations

from collections.abc import Iterable


class InstrumentError(ValueError):
    """The instrument file is not valid; ``problems`` says where and why, one sentence each.

    The admin who uploads a new year's instrument reads these (in Bahasa Indonesia), so a file
    with several mistakes is refused with all of them at once rather than one per attempt.
    """

    def __init__(self, problems: str | Iterable[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class Problems:
    """Collects the problems of independent parts of a file, so one broken indicator does not hide the next."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def attempt(self, parse, *args, **kwargs):
        """``parse(*args)``, or None after noting its problems."""
        try:
            return parse(*args, **kwargs)
        except InstrumentError as error:
            self.found.extend(error.problems)
            return None

    def raise_if_any(self) -> None:
        if self.found:
            raise InstrumentError(self.found)
