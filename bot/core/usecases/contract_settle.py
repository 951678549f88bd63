"""What becomes of a contract application when its approval request closes (seed rules 2–3):
approved, it takes its number from the policy's pattern and the sales head's signature and
waits for finance to co-sign; refused, returned or withdrawn, it is not a contract."""

from __future__ import annotations

from datetime import datetime

from bot.core.approvals import ApprovalRequest, RequestStatus, RequestView
from bot.core.calendar import local
from bot.core.contract_numbers import contract_number, number_series
from bot.core.contracts import Contract, ContractStatus, approved, moved
from bot.core.models import Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role

CONTRACT_KIND = "contract"
# Finance co-signs the contract (会签): the accountant, or the finance VP above her.
COSIGNERS = frozenset({Role.accountant, Role.finance_vp})
_AFTER = {
    RequestStatus.rejected: ContractStatus.refused,
    RequestStatus.returned: ContractStatus.returned,
    RequestStatus.withdrawn: ContractStatus.withdrawn,
}


def cosign_ref(contract_id: int) -> str:
    return f"cosign:{contract_id}"


def _sales_head(view: RequestView) -> int:
    """Who signed for sales: the sales manager's decision (审签), else the first approver's."""
    decided = [s for s in view.current_round() if s.decided_by is not None]
    head = next((s for s in decided if s.role is Role.sales_manager), decided[0])
    return head.decided_by or head.approver_id


async def cosigners(uow: UnitOfWork) -> list[Person]:
    return [p for p in await uow.people.all() if p.active and p.role in COSIGNERS]


async def settle(
    uow: UnitOfWork, view: RequestView, policy: Policy, now: datetime
) -> Contract | None:
    """Called as a contract application's request closes; None for other kinds."""
    request: ApprovalRequest = view.request
    if request.kind != CONTRACT_KIND:
        return None
    contract = await uow.contracts.by_request(request.id)
    if contract is None:
        return None
    if request.status is RequestStatus.approved:
        return await _approve(uow, contract, view, policy, now)
    return await _ended(uow, contract, request, now)


async def settle_ended(uow: UnitOfWork, view: RequestView, now: datetime) -> Contract | None:
    """A contract application refused, returned or withdrawn is no contract."""
    request = view.request
    contract = await uow.contracts.by_request(request.id) if request.kind == CONTRACT_KIND else None
    if contract is None:
        return None
    return await _ended(uow, contract, request, now)


async def _ended(
    uow: UnitOfWork, contract: Contract, request: ApprovalRequest, now: datetime
) -> Contract:
    after = _AFTER.get(request.status)
    if after is None:
        return contract
    changed = moved(contract, after, now)
    await uow.contracts.save(changed, expected=contract.status)
    return changed


async def _approve(
    uow: UnitOfWork, contract: Contract, view: RequestView, policy: Policy, now: datetime
) -> Contract:
    pattern = policy.contracts.number_pattern
    year = local(now, policy).year
    seq = await uow.contracts.next_number_seq(number_series(pattern, year))
    signed = approved(
        contract,
        number=contract_number(pattern, year, seq),
        signed_by=_sales_head(view),
        now=now,
    )
    await uow.contracts.save(signed, expected=contract.status)
    rep = await uow.people.get(signed.owner_id)  # the desk filed it: the rep is on no step
    params = {
        "contract_id": signed.id,
        "number": signed.number,
        "customer": view.customer_name,
        "amount": str(signed.amount),
        "deposit": str(signed.schedule.deposit),
        "instalments": len(signed.schedule.instalments),
        "rep": rep.full_name if rep is not None else "—",
    }
    await uow.outbox.add_many(
        [
            Notification(p.id, "contract_to_cosign", params, ref=cosign_ref(signed.id))
            for p in await cosigners(uow)
        ],
        now,
    )
    return signed
