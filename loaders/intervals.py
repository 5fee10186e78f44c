"""Sets of disjoint [start, end) spans that answer "does this overlap one of you?" in log time.

Recognisers keep what they have taken so that a later match does not claim the same words; a list scanned at
every match would make a long paragraph quadratic (``python -m atdkg.benchmarks.linearity``).
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable


class Disjoint:
    """Disjoint spans, kept sorted: the ends are then sorted too, so one neighbour answers an overlap."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            if not self.overlaps(a, b):
                self.add(a, b)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end) - 1  # the last span that starts before this one ends
        return k >= 0 and self.ends[k] > start

    def add(self, start: int, end: int) -> None:
        k = bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
