"""抄送 (CC): who is told a request's outcome without deciding it."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.models import Person
from bot.core.policy import REQUESTER_SUPERVISOR


def cc_ids(codes: Iterable[str], requester_id: int, people: Iterable[Person]) -> set[int]:
    """The active people a kind's `cc` names for this requester, never the requester: each
    role's active holders, and for `requester_supervisor` whoever the requester reports to.
    Example: cc = ("requester_supervisor", "finance_vp"), a rep reporting to supervisor 7 and
    one active finance VP 9 → {7, 9}."""
    everyone = list(people)
    wanted = set(codes)
    requester = next((p for p in everyone if p.id == requester_id), None)
    boss = requester.reports_to if requester and REQUESTER_SUPERVISOR in wanted else None
    named = {p.id for p in everyone if p.active and (p.role.value in wanted or p.id == boss)}
    return named - {requester_id}
