"""The monthly reconciliations (bot/core/reconciliation.py): one confirmation per month and
role, taken by an insert that a second one cannot repeat; one accrual per month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reconciliation import Confirmation, Reconciliation
from bot.core.roles import Role
from storage.tables import ReconciliationConfirmationRow, ReconciliationRow

ConfirmationRow = ReconciliationConfirmationRow


class SqlReconciliations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, month: date) -> Reconciliation | None:
        row = await self._session.get(ReconciliationRow, month, populate_existing=True)
        if row is None:
            return None
        found = await self._session.scalars(
            select(ConfirmationRow)
            .where(ConfirmationRow.month == month)
            .execution_options(populate_existing=True)
        )
        confirmations = {
            Role(c.role): Confirmation(
                Role(c.role),
                c.person_id,
                c.confirmed_at,
                {line: Decimal(v) for line, v in c.figures.items()},
            )
            for c in found
        }
        return Reconciliation(month, confirmations, row.accrual, row.accrued_total)

    async def confirm(self, month: date, confirmation: Confirmation) -> bool:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(ReconciliationRow).values(month=month).on_conflict_do_nothing()
        )
        written = await self._session.scalar(
            insert(ConfirmationRow)
            .values(
                month=month,
                role=confirmation.role.value,
                person_id=confirmation.person_id,
                confirmed_at=confirmation.at,
                figures={line: str(v) for line, v in confirmation.figures.items()},
            )
            .on_conflict_do_nothing()
            .returning(ConfirmationRow.role)
        )
        return written is not None

    async def accrue(self, month: date, accrual: Decimal, total: Decimal) -> bool:
        written = await self._session.scalar(
            update(ReconciliationRow)
            .where(ReconciliationRow.month == month, ReconciliationRow.accrual.is_(None))
            .values(accrual=accrual, accrued_total=total)
            .returning(ReconciliationRow.month)
        )
        return written is not None

    async def accrued_before(self, month: date) -> Decimal:
        rows = await self._session.scalars(
            select(ReconciliationRow.accrual).where(
                ReconciliationRow.month >= month.replace(month=1),
                ReconciliationRow.month < month,
                ReconciliationRow.accrual.is_not(None),
            )
        )
        return sum((a for a in rows if a is not None), Decimal(0))
