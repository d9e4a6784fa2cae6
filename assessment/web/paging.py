"""Long lists shown a page at a time: a Pemda may have thousands of units, a page shows a hundred."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 100
Row = TypeVar("Row")


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    matching: int  # rows on every page together
    number: int  # from 1
    pages: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE_SIZE

    @property
    def first_position(self) -> int:
        return self.offset + 1 if self.rows else 0

    @property
    def last_position(self) -> int:
        return self.offset + len(self.rows)


def page_number(requested: int | None, matching: int) -> tuple[int, int]:
    """The page to show (a page past the end shows the last one) and how many there are; at least one."""
    pages = max(1, math.ceil(matching / PAGE_SIZE))
    return min(max(requested or 1, 1), pages), pages


def page_of(rows: Sequence[Row], requested: int | None) -> Page[Row]:
    """One page of a list already in memory."""
    number, pages = page_number(requested, len(rows))
    start = (number - 1) * PAGE_SIZE
    return Page(list(rows[start:start + PAGE_SIZE]), len(rows), number, pages)
