from __future__ import annotations

import pytest
from fakes import FakeUnitOfWork, make_org


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """The standard organisation (see fakes.make_org), nothing committed yet."""
    return FakeUnitOfWork.of(make_org())
