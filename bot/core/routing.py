"""Who must approve a request: the roles the policy asks for, found up the requester's line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.org import line_above
from bot.core.policy import ApprovalRule, Band, Policy
from bot.core.roles import Role

_ZERO = Decimal(0)


class ReasonKind(StrEnum):
    chain = "chain"  # the request kind always goes through this role
    within = "within"  # the request stays within the first band's limit
    discount = "discount"  # the discount exceeded a band's limit
    amount = "amount"  # the amount exceeded a band's limit


@dataclass(frozen=True, slots=True)
class RouteReason:
    kind: ReasonKind
    value: Decimal | None = None  # the request's discount % or amount, for discount/amount
    limit: Decimal | None = None  # the band limit it exceeded (or stays within, for `within`)


@dataclass(frozen=True, slots=True)
class RouteStep:
    role: Role
    approver_id: int
    reason: RouteReason


class NoApprover(DomainError):
    code = "no_approver"


def _rule(kind: str, policy: Policy) -> ApprovalRule:
    rule = policy.approval.get(kind)
    if rule is None:
        raise ValueError(f"no approval rule for request kind {kind!r}")
    return rule


def _holds(band: Band, discount: Decimal, amount: Decimal) -> bool:
    return (band.max_discount is None or discount <= band.max_discount) and (
        band.max_amount is None or amount <= band.max_amount
    )


def _within(band: Band) -> RouteReason:
    limit = band.max_discount if band.max_discount is not None else band.max_amount
    return RouteReason(ReasonKind.within, limit=limit)


def _exceeded(band: Band, discount: Decimal, amount: Decimal) -> RouteReason:
    if band.max_discount is not None and discount > band.max_discount:
        return RouteReason(ReasonKind.discount, value=discount, limit=band.max_discount)
    return RouteReason(ReasonKind.amount, value=amount, limit=band.max_amount)


def _band_reason(
    role: Role, bands: tuple[Band, ...], upto: int, discount: Decimal, amount: Decimal
) -> RouteReason:
    # A role is needed because of the band just below the run of bands that list it, up to
    # `upto`; a role listed from the first band on is needed whatever the request.
    first = upto
    while first > 0 and role in bands[first - 1].roles:
        first -= 1
    return _within(bands[0]) if first == 0 else _exceeded(bands[first - 1], discount, amount)


def _ordered(roles: Iterable[Role], chain: tuple[Role, ...]) -> list[Role]:
    wanted = dict.fromkeys(roles)
    return [r for r in chain if r in wanted] + [r for r in wanted if r not in chain]


def _banded(
    rule: ApprovalRule, discount: Decimal, amount: Decimal
) -> list[tuple[Role, RouteReason]]:
    bands = rule.bands
    for k, band in enumerate(bands):
        if _holds(band, discount, amount):
            roles = _ordered(band.roles, rule.chain)
            return [(r, _band_reason(r, bands, k, discount, amount)) for r in roles]
    last = len(bands) - 1
    beyond = _exceeded(bands[last], discount, amount)
    roles = _ordered([*rule.chain, *bands[last].roles], rule.chain)
    return [
        (r, _band_reason(r, bands, last, discount, amount) if r in bands[last].roles else beyond)
        for r in roles
    ]


def required_roles(
    kind: str, *, discount: Decimal | None, amount: Decimal, policy: Policy
) -> list[tuple[Role, RouteReason]]:
    """The roles that must approve, in chain order, each with why it is needed.

    Without bands every role of the kind's chain approves. With bands the first band whose
    limits hold decides (a missing discount counts as 0): its roles approve; a role listed from
    the first band on is `within` that band's limit, a role added by a later band is there
    because the request exceeded the band below it. When no band holds the whole chain
    approves, and the roles beyond the last band say which of its limits was exceeded — so a
    card can say "discount 12 % > 8 %: needs the marketing VP"."""
    rule = _rule(kind, policy)
    if not rule.bands:
        return [(r, RouteReason(ReasonKind.chain)) for r in _ordered(rule.chain, rule.chain)]
    return _banded(rule, discount if discount is not None else _ZERO, amount)


def _nearest(role: Role, line: list[Person], taken: set[int]) -> Person | None:
    return next(
        (p for p in line if p.role is role and p.active and p.id not in taken),
        None,
    )


# Finance sits beside the sales line, not above a rep: an invoice or a commission sheet finds
# its accountant or finance VP in the whole company when none is above the requester.
FINANCE = frozenset({Role.accountant, Role.finance_vp})


def _finance(role: Role, people: Mapping[int, Person], taken: set[int]) -> Person | None:
    if role not in FINANCE:
        return None
    return _nearest(role, [people[i] for i in sorted(people)], taken)


def route(
    kind: str,
    *,
    requester_id: int,
    people: Mapping[int, Person],
    discount: Decimal | None,
    amount: Decimal,
    policy: Policy,
) -> list[RouteStep]:
    """The approvers, found up the requester's `reports_to` line, nearest first.

    Each required role goes to the nearest active person above the requester who holds it and
    has not been picked already; a deactivated person is walked past. A role nobody above
    holds is skipped (a small company has no VP), never a dead end, and so is the requester's
    own role: nobody approves their own request. If no one at all is found the request cannot
    be routed (NoApprover)."""
    requester = people.get(requester_id)
    line = [p for p in line_above(requester_id, people) if p.id != requester_id]
    steps: list[RouteStep] = []
    taken: set[int] = set()
    for role, reason in required_roles(kind, discount=discount, amount=amount, policy=policy):
        if requester is not None and role is requester.role:
            continue
        approver = _nearest(role, line, taken) or _finance(role, people, taken)
        if approver is not None:
            taken.add(approver.id)
            steps.append(RouteStep(role, approver.id, reason))
    if not steps:
        raise NoApprover()
    return steps


def approval_order(rule: ApprovalRule) -> list[Role]:
    """Every role a request of the kind may need (its chain and any band's), in chain order."""
    return _ordered([*rule.chain, *(r for band in rule.bands for r in band.roles)], rule.chain)


def _orders_with(role: Role, policy: Policy, kinds: Iterable[str]) -> list[list[Role]]:
    orders = [approval_order(_rule(kind, policy)) for kind in kinds]
    return [order for order in orders if role in order]


def may_decide_for(deputy: Role, role: Role, policy: Policy, kinds: Iterable[str]) -> bool:
    """Whether someone in role `deputy` may decide, while a `role` holder is away, what that
    holder decides: on every request kind `role` approves, `deputy` is the same role or a later
    one in the kind's approval order, so a delegation never hands a decision to someone the
    policy does not trust with it (a supervisor's special terms to a marketing VP: yes; a sales
    manager's to a supervisor, or to an accountant: no). A role that approves none of `kinds`
    has nothing to hand over, so nobody is ruled out by it."""
    return all(deputy in order[order.index(role) :] for order in _orders_with(role, policy, kinds))


def trusted_deputy(deputy: Role, role: Role, kind: str, policy: Policy) -> bool:
    """Whether a step of this kind that `role` approves may go to a deputy in `deputy`'s role:
    a delegation covers a kind only where its approval order trusts the deputy. A sales
    manager away with the marketing VP as delegate: the VP decides the manager's special terms,
    but not a contract application, which the seed gives to the sales manager and the general
    manager alone; that step stays with the manager (and his stand-in at its deadline)."""
    return may_decide_for(deputy, role, policy, (kind,))


def approvers_after(
    person_id: int, people: Mapping[int, Person], policy: Policy, kinds: Iterable[str]
) -> list[Person]:
    """Who decides after the person on the requests the person decides: per kind the person's
    role approves, each later role of its approval order goes to the nearest active holder up
    the person's `reports_to` line, as `route` finds them for a requester below the person.
    Delegating to one of them would make one person decide two steps of the same request."""
    person = people.get(person_id)
    if person is None:
        return []
    line = line_above(person_id, people)
    found: dict[int, Person] = {}
    for order in _orders_with(person.role, policy, kinds):
        taken = {person_id}
        for role in order[order.index(person.role) + 1 :]:
            approver = _nearest(role, line, taken)
            if approver is not None:
                taken.add(approver.id)
                found.setdefault(approver.id, approver)
    return list(found.values())


def can_answer(person: Person) -> bool:
    """Active, and the bot can reach them (no 403 since their last message)."""
    return person.active and not person.unreachable


def stand_in(approver_id: int, requester_id: int, people: Mapping[int, Person]) -> Person | None:
    """Who decides, on the approver's behalf, a step its approver can no longer answer
    (deactivated, or unreachable at its deadline): the nearest person up the approver's
    `reports_to` line who is active and reachable, never the requester; None if nobody is.

    The approver's manager, not the next role the routing would pick: the manager answers for
    the approver's work (a deactivated person's reports move up to them for the same reason),
    so the review the policy asked for at that level is still given, on behalf of, instead of
    silently dropped; and when the manager is also the next approver, one approval counts for
    both steps (one person, one decision), so the usual chain costs nobody an extra tap. The
    routing's next level would skip that review, and at the top of the chain finds nobody."""
    return next(
        (
            p
            for p in line_above(approver_id, people)
            if can_answer(p) and p.id not in (approver_id, requester_id)
        ),
        None,
    )
