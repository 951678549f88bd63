"""What a closing request does to the record it carries, by kind: a contract application
(`contract_settle`) or an invoice (`invoice_settle`); special terms carry none."""

from __future__ import annotations

from datetime import datetime

from bot.core.approvals import RequestView
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import contract_settle, invoice_settle


async def settle(uow: UnitOfWork, view: RequestView, policy: Policy, now: datetime) -> None:
    """Called as a request is decided for the last time (approved, refused or returned)."""
    if view.request.kind == contract_settle.CONTRACT_KIND:
        await contract_settle.settle(uow, view, policy, now)
    elif view.request.kind == invoice_settle.INVOICE_KIND:
        await invoice_settle.settle(uow, view, now)


async def settle_ended(uow: UnitOfWork, view: RequestView, now: datetime) -> None:
    """Called as the requester withdraws a request."""
    if view.request.kind == contract_settle.CONTRACT_KIND:
        await contract_settle.settle_ended(uow, view, now)
    elif view.request.kind == invoice_settle.INVOICE_KIND:
        await invoice_settle.settle(uow, view, now)
