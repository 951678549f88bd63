from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.models import Person
from bot.core.policy import ApprovalRule, Band, Policy
from bot.core.roles import Role
from bot.core.routing import (
    NoApprover,
    ReasonKind,
    RouteReason,
    approval_order,
    approvers_after,
    may_decide_for,
    required_roles,
    route,
    stand_in,
)

SUP, SM, VP, GM = Role.supervisor, Role.sales_manager, Role.marketing_vp, Role.general_manager
FULL_CHAIN = (SUP, SM, VP, GM)
KIND = "special_terms"

# ids: the general manager is 1, then down the line; 6+ are the extras a case adds
GM_ID, VP_ID, SM_ID, SUP_ID, REP_ID, SUP2_ID, ADMIN_ID = range(1, 8)


def person(id: int, role: Role, reports_to: int | None, active: bool = True) -> Person:
    return Person(
        id=id,
        telegram_id=1000 + id,
        full_name=f"{role.value} {id}",
        role=role,
        reports_to=reports_to,
        active=active,
    )


def org(*people: Person) -> dict[int, Person]:
    return {p.id: p for p in people}


def standard(**changes: Person) -> dict[int, Person]:
    """rep 5 > supervisor 4 > sales manager 3 > marketing VP 2 > general manager 1."""
    people = {
        "gm": person(GM_ID, GM, None),
        "vp": person(VP_ID, VP, GM_ID),
        "sm": person(SM_ID, SM, VP_ID),
        "sup": person(SUP_ID, SUP, SM_ID),
        "rep": person(REP_ID, Role.rep, SUP_ID),
    }
    return org(*{**people, **changes}.values())


def d(value: str) -> Decimal:
    return Decimal(value)


def within(limit: str) -> RouteReason:
    return RouteReason(ReasonKind.within, limit=d(limit))


def over(kind: ReasonKind, value: str, limit: str) -> RouteReason:
    return RouteReason(kind, value=d(value), limit=d(limit))


def banded(*bands: Band, chain: tuple[Role, ...] = FULL_CHAIN) -> Policy:
    return Policy(approval={KIND: ApprovalRule(chain=chain, bands=bands)})


BANDS = banded(
    Band((SUP,), max_discount=d("3"), max_amount=d("100000")),
    Band((SUP, SM), max_discount=d("8"), max_amount=d("500000")),
)
DISCOUNT_ONLY = banded(Band((SUP,), max_discount=d("3")), Band((SUP, SM), max_discount=d("8")))
DEFAULT = Policy()
DISCOUNT, AMOUNT = ReasonKind.discount, ReasonKind.amount


@pytest.mark.parametrize(
    ("people", "requester", "expected"),
    [
        # the full default chain, nearest first
        (standard(), REP_ID, [(SUP, SUP_ID), (SM, SM_ID), (VP, VP_ID), (GM, GM_ID)]),
        # a small company without a VP: the level is skipped
        (
            org(
                person(GM_ID, GM, None),
                person(SM_ID, SM, GM_ID),
                person(SUP_ID, SUP, SM_ID),
                person(REP_ID, Role.rep, SUP_ID),
            ),
            REP_ID,
            [(SUP, SUP_ID), (SM, SM_ID), (GM, GM_ID)],
        ),
        # the requester is a supervisor or the sales manager: their own level is skipped
        (standard(), SUP_ID, [(SM, SM_ID), (VP, VP_ID), (GM, GM_ID)]),
        (standard(), SM_ID, [(VP, VP_ID), (GM, GM_ID)]),
        # ... even when another supervisor stands above them
        (
            standard(sup=person(SUP_ID, SUP, SUP2_ID), sup2=person(SUP2_ID, SUP, SM_ID)),
            SUP_ID,
            [(SM, SM_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
        # a deactivated approver is skipped, and the walk goes on past them
        (
            standard(sup=person(SUP_ID, SUP, SM_ID, active=False)),
            REP_ID,
            [(SM, SM_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
        (
            standard(sm=person(SM_ID, SM, VP_ID, active=False)),
            REP_ID,
            [(SUP, SUP_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
        # two supervisors in the line: the nearest wins
        (
            standard(sup=person(SUP_ID, SUP, SUP2_ID), sup2=person(SUP2_ID, SUP, SM_ID)),
            REP_ID,
            [(SUP, SUP_ID), (SM, SM_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
        # ... unless the nearest is deactivated
        (
            standard(
                sup=person(SUP_ID, SUP, SUP2_ID, active=False),
                sup2=person(SUP2_ID, SUP, SM_ID),
            ),
            REP_ID,
            [(SUP, SUP2_ID), (SM, SM_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
        # an admin in the line is not in the chain
        (
            standard(sup=person(SUP_ID, SUP, ADMIN_ID), admin=person(ADMIN_ID, Role.admin, SM_ID)),
            REP_ID,
            [(SUP, SUP_ID), (SM, SM_ID), (VP, VP_ID), (GM, GM_ID)],
        ),
    ],
)
def test_route_walks_up_the_line(
    people: dict[int, Person], requester: int, expected: list[tuple[Role, int]]
) -> None:
    steps = route(
        KIND, requester_id=requester, people=people, discount=None, amount=d("1000"), policy=DEFAULT
    )

    assert [(s.role, s.approver_id) for s in steps] == expected
    assert {s.reason for s in steps} == {RouteReason(ReasonKind.chain)}


@pytest.mark.parametrize(
    ("policy", "discount", "amount", "expected"),
    [
        (BANDS, "2", "50000", [(SUP, within("3"))]),
        (BANDS, "3", "100000", [(SUP, within("3"))]),  # the limits are inclusive
        (BANDS, None, "50000", [(SUP, within("3"))]),  # no discount counts as 0
        (BANDS, "5", "50000", [(SUP, within("3")), (SM, over(DISCOUNT, "5", "3"))]),
        (
            BANDS,
            "12",
            "50000",
            [
                (SUP, within("3")),
                (SM, over(DISCOUNT, "12", "3")),
                (VP, over(DISCOUNT, "12", "8")),
                (GM, over(DISCOUNT, "12", "8")),
            ],
        ),
        # a small discount on a large amount
        (BANDS, "1", "200000", [(SUP, within("3")), (SM, over(AMOUNT, "200000", "100000"))]),
        (BANDS, None, "200000", [(SUP, within("3")), (SM, over(AMOUNT, "200000", "100000"))]),
        (
            BANDS,
            "1",
            "900000",
            [
                (SUP, within("3")),
                (SM, over(AMOUNT, "900000", "100000")),
                (VP, over(AMOUNT, "900000", "500000")),
                (GM, over(AMOUNT, "900000", "500000")),
            ],
        ),
        # both exceeded: the discount is named first, per band
        (
            BANDS,
            "5",
            "900000",
            [
                (SUP, within("3")),
                (SM, over(DISCOUNT, "5", "3")),
                (VP, over(AMOUNT, "900000", "500000")),
                (GM, over(AMOUNT, "900000", "500000")),
            ],
        ),
        # a band role outside the chain goes after the chain's roles
        (
            banded(Band((SUP,), max_discount=d("5")), chain=(SM, GM)),
            "10",
            "1000",
            [
                (SM, over(DISCOUNT, "10", "5")),
                (GM, over(DISCOUNT, "10", "5")),
                (SUP, within("5")),
            ],
        ),
        # no bands: the chain, each because of the chain
        (DEFAULT, "50", "1000", [(r, RouteReason(ReasonKind.chain)) for r in FULL_CHAIN]),
    ],
)
def test_required_roles(
    policy: Policy, discount: str | None, amount: str, expected: list[tuple[Role, RouteReason]]
) -> None:
    result = required_roles(
        KIND, discount=None if discount is None else d(discount), amount=d(amount), policy=policy
    )

    assert result == expected


@pytest.mark.parametrize(
    ("discount", "expected"),
    [
        ("2", [(SUP, SUP_ID)]),
        ("5", [(SUP, SUP_ID), (SM, SM_ID)]),
        ("12", [(SUP, SUP_ID), (SM, SM_ID), (VP, VP_ID), (GM, GM_ID)]),
    ],
)
def test_route_follows_the_bands(discount: str, expected: list[tuple[Role, int]]) -> None:
    steps = route(
        KIND,
        requester_id=REP_ID,
        people=standard(),
        discount=d(discount),
        amount=d("1000"),
        policy=DISCOUNT_ONLY,
    )

    assert [(s.role, s.approver_id) for s in steps] == expected


def test_route_carries_the_reason_for_the_card() -> None:
    steps = route(
        KIND,
        requester_id=REP_ID,
        people=standard(),
        discount=d("12"),
        amount=d("1000"),
        policy=DISCOUNT_ONLY,
    )

    assert steps[2].role is VP
    assert steps[2].reason == over(DISCOUNT, "12", "8")


@pytest.mark.parametrize(
    ("kind", "people", "requester", "expected"),
    [
        # the contract chain lists the sales manager: they do not approve their own request
        ("contract", standard(), SM_ID, [(GM, GM_ID)]),
        ("contract", standard(), REP_ID, [(SM, SM_ID), (GM, GM_ID)]),
        # a cycle in bad data leads back to the requester: still not an approver
        (
            KIND,
            org(person(SUP_ID, SUP, SM_ID), person(SM_ID, SM, SUP_ID)),
            SUP_ID,
            [(SM, SM_ID)],
        ),
    ],
)
def test_nobody_approves_their_own_request(
    kind: str, people: dict[int, Person], requester: int, expected: list[tuple[Role, int]]
) -> None:
    steps = route(
        kind, requester_id=requester, people=people, discount=None, amount=d("1000"), policy=DEFAULT
    )

    assert [(s.role, s.approver_id) for s in steps] == expected
    assert requester not in {s.approver_id for s in steps}


@pytest.mark.parametrize(
    ("people", "requester"),
    [
        (standard(), GM_ID),  # nobody above the general manager
        (standard(), 99),  # an unknown requester
        (
            standard(
                sup=person(SUP_ID, SUP, SM_ID, active=False),
                sm=person(SM_ID, SM, VP_ID, active=False),
                vp=person(VP_ID, VP, GM_ID, active=False),
                gm=person(GM_ID, GM, None, active=False),
            ),
            REP_ID,
        ),
        (org(person(REP_ID, Role.rep, ADMIN_ID), person(ADMIN_ID, Role.admin, None)), REP_ID),
    ],
)
def test_no_approver(people: dict[int, Person], requester: int) -> None:
    with pytest.raises(NoApprover):
        route(
            KIND,
            requester_id=requester,
            people=people,
            discount=None,
            amount=d("1000"),
            policy=DEFAULT,
        )


def test_an_unknown_request_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="no approval rule"):
        required_roles("lunch", discount=None, amount=d("1"), policy=DEFAULT)


def away(id: int, role: Role, reports_to: int | None, *, active: bool = True) -> Person:
    """Someone the bot cannot reach (a 403 since their last message)."""
    gone = person(id, role, reports_to, active=active)
    gone.unreachable = True
    return gone


@pytest.mark.parametrize(
    ("people", "approver", "requester", "expected"),
    [
        (standard(), SUP_ID, REP_ID, SM_ID),  # the approver's manager
        (standard(sm=person(SM_ID, SM, VP_ID, active=False)), SUP_ID, REP_ID, VP_ID),
        (standard(sm=away(SM_ID, SM, VP_ID)), SUP_ID, REP_ID, VP_ID),
        (standard(), SM_ID, VP_ID, GM_ID),  # never the requester
        (standard(), GM_ID, REP_ID, None),  # nobody above the top
        (standard(gm=person(GM_ID, GM, None, active=False)), VP_ID, REP_ID, None),
        (org(person(SUP_ID, SUP, SM_ID), person(SM_ID, SM, SUP_ID)), SUP_ID, REP_ID, SM_ID),
        (org(person(SUP_ID, SUP, SUP_ID)), SUP_ID, REP_ID, None),  # a loop ends the line
    ],
)
def test_the_stand_in_is_the_nearest_one_above_who_can_answer(
    people: dict[int, Person], approver: int, requester: int, expected: int | None
) -> None:
    found = stand_in(approver, requester, people)

    assert (found.id if found else None) == expected


# --- delegation: who may decide for whom, and who already decides after whom ---------------

ROUTED = (KIND,)


@pytest.mark.parametrize(
    ("role", "deputies"),
    [
        (SUP, {SUP, SM, VP, GM}),
        (SM, {SM, VP, GM}),
        (VP, {VP, GM}),
        (GM, {GM}),
        # approves no special terms: nothing to hand over, so no role is ruled out
        (Role.finance_vp, set(Role)),
    ],
)
def test_a_delegate_holds_the_role_or_one_later_in_the_chain(
    role: Role, deputies: set[Role]
) -> None:
    allowed = {deputy for deputy in Role if may_decide_for(deputy, role, Policy(), ROUTED)}

    assert allowed == deputies


def test_a_delegate_must_fit_every_kind_the_role_approves() -> None:
    """With contracts routed too, a sales manager's contract applications go to the general
    manager after them: a marketing VP is not in that chain, so may no longer stand in."""
    kinds = ("special_terms", "contract")

    assert may_decide_for(GM, SM, Policy(), kinds)
    assert not may_decide_for(VP, SM, Policy(), kinds)
    assert may_decide_for(VP, SM, Policy(), ROUTED)


def test_the_approval_order_holds_the_roles_bands_add() -> None:
    policy = banded(Band(roles=(SUP,), max_discount=d("5")), Band(roles=(SUP, Role.finance_vp)))

    assert approval_order(policy.approval[KIND]) == [*FULL_CHAIN, Role.finance_vp]
    assert may_decide_for(Role.finance_vp, GM, policy, ROUTED)
    assert not may_decide_for(GM, Role.finance_vp, policy, ROUTED)


@pytest.mark.parametrize(
    ("people", "person_id", "after"),
    [
        (standard(), SUP_ID, [SM_ID, VP_ID, GM_ID]),
        (standard(), SM_ID, [VP_ID, GM_ID]),
        (standard(), GM_ID, []),
        # a missing level is skipped, a deactivated one walked past, as the routing does
        (standard(vp=person(VP_ID, VP, GM_ID, active=False)), SUP_ID, [SM_ID, GM_ID]),
        (standard(sm=person(SM_ID, Role.rep, VP_ID)), SUP_ID, [VP_ID, GM_ID]),
        (standard(), REP_ID, []),  # decides nothing
        (standard(), 99, []),
    ],
)
def test_approvers_after_are_the_later_steps_up_the_line(
    people: dict[int, Person], person_id: int, after: list[int]
) -> None:
    found = approvers_after(person_id, people, Policy(), ROUTED)

    assert [p.id for p in found] == after


def test_approvers_after_are_found_as_a_requester_below_would_route_them() -> None:
    people = standard()
    steps = route(
        KIND, requester_id=REP_ID, people=people, discount=None, amount=d("1"), policy=Policy()
    )
    below_sup = [s.approver_id for s in steps if s.role is not SUP]

    assert [p.id for p in approvers_after(SUP_ID, people, Policy(), ROUTED)] == below_sup
