"""Reading and writing by many ids at once: lists are cut to a size every database takes
(SQLite and asyncpg allow about 32,000 parameters a statement)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import Insert, insert

from storage.tables import Base

BATCH = 500

T = TypeVar("T")


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def id_batches(ids: Collection[int]) -> Iterator[Sequence[int]]:
    """The distinct ids in ascending order, a batch at a time."""
    return batches(sorted(set(ids)))


def bulk_insert(row: type[Base]) -> Insert:
    """A plain INSERT for many rows (one executemany): the ORM's bulk insert costs several
    times more per row, and these rows need no ids back."""
    return insert(Base.metadata.tables[row.__tablename__])
