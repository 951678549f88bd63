"""Reading and writing by many ids at once: lists are cut to a size every database takes
(SQLite and asyncpg allow about 32,000 parameters a statement)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

BATCH = 500

T = TypeVar("T")


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def id_batches(ids: Collection[int]) -> Iterator[Sequence[int]]:
    """The distinct ids in ascending order, a batch at a time."""
    return batches(sorted(set(ids)))
