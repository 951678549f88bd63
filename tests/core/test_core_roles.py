from __future__ import annotations

import pytest

from bot.core.roles import MANAGING_ROLES, RANK, Role, invitable_roles

R = Role
RANK_1 = [R.rep, R.sales_desk, R.accountant, R.customer_service]


@pytest.mark.parametrize(
    ("inviter", "expected"),
    [
        (R.admin, list(Role)),
        (R.rep, []),
        (R.accountant, []),
        (R.customer_service, []),
        (R.sales_desk, []),
        (R.supervisor, RANK_1),
        (R.sales_manager, [R.supervisor, *RANK_1]),
        (R.marketing_vp, [R.supervisor, R.sales_manager, *RANK_1]),
        (R.finance_vp, [R.supervisor, R.sales_manager, *RANK_1]),
        (
            R.general_manager,
            [R.supervisor, R.sales_manager, R.marketing_vp, R.finance_vp, *RANK_1],
        ),
    ],
)
def test_invitable_roles(inviter: Role, expected: list[Role]) -> None:
    assert sorted(invitable_roles(inviter)) == sorted(expected)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.admin])
def test_nobody_but_an_admin_hands_out_their_own_role_or_admin(role: Role) -> None:
    assert role not in invitable_roles(role)
    assert Role.admin not in invitable_roles(role)


def test_every_role_has_a_rank_and_admin_stands_highest() -> None:
    assert set(RANK) == set(Role)
    assert max(RANK, key=RANK.__getitem__) is Role.admin
    assert Role.rep not in MANAGING_ROLES
