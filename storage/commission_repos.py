"""Commission sheets and their lines (bot/core/commission.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.collections import Commission, SheetLine
from bot.core.commission import (
    LIVE,
    Check,
    SheetAlreadyFiled,
    SheetDraft,
    SheetRecord,
    SheetStatus,
)
from bot.core.roles import Role
from storage.batches import id_batches
from storage.tables import CommissionLineRow, CommissionSheetRow

_MOVING = (
    "paid_by",
    "paid_at",
    "paid_reference",
    "returned_by",
    "returned_at",
    "return_reason",
)


def _line(row: CommissionLineRow) -> SheetLine:
    return SheetLine(
        row.contract_id,
        tuple(row.payment_ids),
        row.collected,
        row.rate,
        row.commission,
        row.deduction,
    )


def _checks(stored: list[Any]) -> tuple[Check, ...]:
    return tuple(Check(Role(role), by, datetime.fromisoformat(at)) for role, by, at in stored)


def _stored_checks(checks: Sequence[Check]) -> list[Any]:
    return [[c.role.value, c.by, c.at.isoformat()] for c in checks]


def _sheet(row: CommissionSheetRow, lines: Sequence[CommissionLineRow]) -> SheetRecord:
    return SheetRecord(
        id=row.id,
        rep_id=row.rep_id,
        month=row.month,
        status=SheetStatus(row.status),
        lines=tuple(_line(line) for line in sorted(lines, key=lambda r: r.contract_id)),
        total=Commission(row.commission, row.deduction, row.payable, row.unrecovered),
        excluded=tuple(row.excluded),
        filed_by=row.filed_by,
        filed_at=row.filed_at,
        step=row.step,
        checks=_checks(row.checks),
        **{name: getattr(row, name) for name in _MOVING},
    )


class SqlCommissionSheets:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, draft: SheetDraft, *, filed_by: int, now: datetime) -> SheetRecord:
        total = draft.sheet.total
        row = CommissionSheetRow(
            rep_id=draft.rep_id,
            month=draft.month,
            status=SheetStatus.filed.value,
            step=0,
            commission=total.commission,
            deduction=total.deduction,
            payable=total.payable,
            unrecovered=total.unrecovered,
            excluded=list(draft.sheet.excluded),
            checks=[],
            filed_by=filed_by,
            filed_at=now,
        )
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError:
            # another desk filed the same rep and month a moment earlier: nothing of this
            # unit of work is written (the sheet is its first write)
            await self._session.rollback()
            raise SheetAlreadyFiled() from None
        lines = [
            CommissionLineRow(
                sheet_id=row.id,
                contract_id=line.contract_id,
                payment_ids=list(line.payment_ids),
                collected=line.collected,
                rate=line.rate,
                commission=line.commission,
                deduction=line.deduction,
            )
            for line in draft.sheet.lines
        ]
        self._session.add_all(lines)
        await self._session.flush()
        return _sheet(row, lines)

    async def get(self, sheet_id: int) -> SheetRecord | None:
        found = await self._read(
            select(CommissionSheetRow).where(CommissionSheetRow.id == sheet_id)
        )
        return found[0] if found else None

    async def save(self, sheet: SheetRecord, *, expected: SheetStatus, step: int) -> bool:
        written = await self._session.scalar(
            update(CommissionSheetRow)
            .where(
                CommissionSheetRow.id == sheet.id,
                CommissionSheetRow.status == expected.value,
                CommissionSheetRow.step == step,
            )
            .values(
                status=sheet.status.value,
                step=sheet.step,
                checks=_stored_checks(sheet.checks),
                **{n: getattr(sheet, n) for n in _MOVING},
            )
            .returning(CommissionSheetRow.id)
        )
        return written is not None

    async def live(self, month: date) -> Sequence[SheetRecord]:
        return await self._read(
            select(CommissionSheetRow).where(
                CommissionSheetRow.month == month,
                CommissionSheetRow.status.in_(sorted(s.value for s in LIVE)),
            )
        )

    async def live_of(self, rep_id: int) -> Sequence[SheetRecord]:
        return await self._read(
            select(CommissionSheetRow).where(
                CommissionSheetRow.rep_id == rep_id,
                CommissionSheetRow.status.in_(sorted(s.value for s in LIVE)),
            )
        )

    async def in_status(self, statuses: Collection[SheetStatus]) -> Sequence[SheetRecord]:
        return await self._read(
            select(CommissionSheetRow).where(
                CommissionSheetRow.status.in_(sorted(s.value for s in statuses))
            )
        )

    async def _read(self, query: Any) -> list[SheetRecord]:
        """The sheets and, in one more read per batch, their lines; oldest first."""
        rows = list(
            await self._session.scalars(
                query.order_by(CommissionSheetRow.id).execution_options(populate_existing=True)
            )
        )
        lines: dict[int, list[CommissionLineRow]] = defaultdict(list)
        for batch in id_batches([r.id for r in rows]):
            for line in await self._session.scalars(
                select(CommissionLineRow).where(CommissionLineRow.sheet_id.in_(batch))
            ):
                lines[line.sheet_id].append(line)
        return [_sheet(row, lines[row.id]) for row in rows]
