"""Instalments as due items (issue 13, point 1): which parts of a contract's schedule the
collections sweep tells the rep about today, and which telling it is.

Pure: the contract's schedule, the money collected and `today`. What is covered is
`payments.schedule_states` (deposit first, then the instalments oldest first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from bot.core.collections import days_late
from bot.core.contracts import Contract
from bot.core.payments import Mark, schedule_states
from bot.core.policy import Collections


class DueKind(StrEnum):
    due_soon = "due_soon"
    overdue = "overdue"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One instalment to tell about. `stage` numbers the tellings of one kind (0, 1, …): the
    sweep claims (contract, due, kind, stage) once, so each telling goes out once."""

    contract_id: int
    due: date
    kind: DueKind
    stage: int
    unpaid: Decimal
    days: int  # days until due (due soon) or days late (overdue)

    @property
    def key(self) -> DueKey:
        return (self.contract_id, self.due, self.kind.value, self.stage)


DueKey = tuple[int, date, str, int]  # contract, due date, kind, stage: one telling


def overdue_stage(late: int, rules: Collections) -> int | None:
    """Which overdue reminder is due `late` days after the due date: the first on the first
    day late, then one more every `overdue_every_days`, at most `overdue_reminders` in all.
    At 7 days and 3 reminders: day 1–7 → 0, 8–14 → 1, 15 and later → 2; with 0 reminders
    → None (never). A sweep that missed days sends the reminder of today's stage only."""
    if late < 1 or rules.overdue_reminders < 1:
        return None
    return min((late - 1) // rules.overdue_every_days, rules.overdue_reminders - 1)


def due_items(
    contract: Contract, collected: Decimal, today: date, rules: Collections
) -> list[DueItem]:
    """The instalments not fully collected that fall due within `due_soon_days` (today
    included: "due today") or are overdue. Worked example at 7 days: deposit 3,000, 4,000
    due 12-01 and 3,000 due 2027-01-01, 5,000 collected, today 11-25 → 2,000 due soon in 6
    days; today 12-09 → 2,000 overdue 8 days (stage 1)."""
    items = []
    for state in schedule_states(contract.schedule, collected, today):
        if state.due is None or state.mark is Mark.paid:
            continue
        unpaid = state.amount - state.covered
        if state.mark is Mark.overdue:
            late = days_late(state.due, today)
            stage = overdue_stage(late, rules)
            if stage is not None:
                items.append(DueItem(contract.id, state.due, DueKind.overdue, stage, unpaid, late))
        elif (ahead := (state.due - today).days) <= rules.due_soon_days:
            items.append(DueItem(contract.id, state.due, DueKind.due_soon, 0, unpaid, ahead))
    return items


def legal_due(overdue_since: date | None, today: date, rules: Collections) -> bool:
    """A contract goes to legal follow-up once money is overdue MORE than `legal_after_days`:
    at 90, overdue since 2027-01-01 is flagged on 04-02 (91 days late), not on 04-01 (90)."""
    return overdue_since is not None and days_late(overdue_since, today) > rules.legal_after_days
