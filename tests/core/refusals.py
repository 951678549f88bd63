"""One check for every refusal of a use case: the exact error, nothing committed, and every
fake as it was once the unit of work is left (imported as `refusals`)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import pytest
from fakes import FakeUnitOfWork

E = TypeVar("E", bound=Exception)


async def assert_refused(uow: FakeUnitOfWork, call: Awaitable[object], error: type[E]) -> E:
    """`call` raises `error`; it committed nothing, and leaving the unit of work leaves every
    fake exactly as it was before."""
    before, commits = uow.snapshot(), uow.committed
    with pytest.raises(error) as caught:
        async with uow:
            await call
    assert uow.committed == commits, "a refused call committed"
    assert uow.snapshot() == before, "a refused call changed something"
    return caught.value
