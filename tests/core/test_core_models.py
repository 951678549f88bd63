from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fakes import NOW, make_invite, make_person

from bot.core.roles import Role

EXPIRES = NOW + timedelta(days=7)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("used_by", "now", "problem"),
    [
        (None, NOW, None),
        (None, EXPIRES - SECOND, None),
        (None, EXPIRES, "expired"),  # the last valid moment is just before expires_at
        (None, EXPIRES + SECOND, "expired"),
        (555, NOW, "used"),
        (555, EXPIRES + SECOND, "used"),  # used wins: that is the more useful thing to say
    ],
)
def test_invite_problem(used_by: int | None, now: datetime, problem: str | None) -> None:
    invite = make_invite(created_at=NOW, expires_at=EXPIRES, used_by=used_by)

    assert invite.problem(now) == problem


@pytest.mark.parametrize(
    ("role", "is_admin", "manages"),
    [
        (Role.admin, True, True),
        (Role.general_manager, False, True),
        (Role.supervisor, False, True),
        (Role.rep, False, False),
        (Role.accountant, False, False),
    ],
)
def test_person_role_flags(role: Role, is_admin: bool, manages: bool) -> None:
    person = make_person(role=role)

    assert (person.is_admin, person.manages) == (is_admin, manages)
