"""The one shape of a refused status move, shared by contracts, delivery notes and work orders."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from bot.core.errors import DomainError

S = TypeVar("S", bound=StrEnum)


class StatusOrder(DomainError):
    """A record asked to move where it may not. `needs` is the status it must reach first (the
    sentence says what must happen); None when the move goes back or sideways, or when the
    record is `over` (it moves no more). Each record has its subclass and code."""

    code = "status_order"

    def __init__(self, status: StrEnum, wanted: StrEnum, needs: StrEnum | None, over: bool) -> None:
        super().__init__(
            status=status.value,
            wanted=wanted.value,
            needs=needs.value if needs else None,
            over=over,
        )
        self.status = status
        self.wanted = wanted
        self.needs = needs
        self.over = over


def step_needed(forward: tuple[S, ...], status: S, to: S) -> tuple[bool, S | None]:
    """Along a line of statuses: whether `status` → `to` is the next step, and if it is not
    and `to` lies ahead, the step that must come first."""
    here, there = forward.index(status), forward.index(to)
    if there == here + 1:
        return True, None
    return False, forward[here + 1] if there > here else None
