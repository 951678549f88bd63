"""In-memory fakes of the commission sheets' and the reconciliations' ports, following
`storage/commission_repos.py`: one live sheet per rep and month, `save` writes only at the
expected status and step; one confirmation per month and role, one accrual per month."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from bot.core.commission import LIVE, SheetDraft, SheetRecord, SheetStatus
from bot.core.reconciliation import Confirmation, Reconciliation


class FakeCommissionSheets:
    def __init__(self) -> None:
        self.rows: dict[int, SheetRecord] = {}

    async def add(self, draft: SheetDraft, *, filed_by: int, now: datetime) -> SheetRecord:
        if any(s.rep_id == draft.rep_id for s in await self.live(draft.month)):
            raise AssertionError("one live sheet per rep and month in storage")
        sheet = draft.sheet
        record = SheetRecord(
            len(self.rows) + 1,
            draft.rep_id,
            draft.month,
            SheetStatus.filed,
            sheet.lines,
            sheet.total,
            sheet.excluded,
            filed_by,
            now,
        )
        self.rows[record.id] = record
        return record

    async def get(self, sheet_id: int) -> SheetRecord | None:
        return self.rows.get(sheet_id)

    async def save(self, sheet: SheetRecord, *, expected: SheetStatus, step: int) -> bool:
        stored = self.rows.get(sheet.id)
        if stored is None or stored.status is not expected or stored.step != step:
            return False
        self.rows[sheet.id] = replace(sheet, lines=stored.lines, total=stored.total)
        return True

    async def live(self, month: date) -> Sequence[SheetRecord]:
        return [s for _i, s in sorted(self.rows.items()) if s.month == month and s.status in LIVE]

    async def live_of(self, rep_id: int) -> Sequence[SheetRecord]:
        return [s for _i, s in sorted(self.rows.items()) if s.rep_id == rep_id and s.status in LIVE]

    async def in_status(self, statuses: Collection[SheetStatus]) -> Sequence[SheetRecord]:
        return [s for _i, s in sorted(self.rows.items()) if s.status in statuses]


class FakeReconciliations:
    def __init__(self) -> None:
        self.rows: dict[date, Reconciliation] = {}

    async def get(self, month: date) -> Reconciliation | None:
        return self.rows.get(month)

    async def confirm(self, month: date, confirmation: Confirmation) -> bool:
        found = self.rows.get(month) or Reconciliation(month, {})
        if confirmation.role in found.confirmations:
            return False
        confirmations = {**found.confirmations, confirmation.role: confirmation}
        self.rows[month] = replace(found, confirmations=confirmations)
        return True

    async def accrue(self, month: date, accrual: Decimal, total: Decimal) -> bool:
        found = self.rows[month]
        if found.accrual is not None:
            return False
        self.rows[month] = replace(found, accrual=accrual, accrued_total=total)
        return True

    async def accrued_before(self, month: date) -> Decimal:
        return sum(
            (
                r.accrual
                for m, r in self.rows.items()
                if m.year == month.year and m < month and r.accrual is not None
            ),
            Decimal(0),
        )
