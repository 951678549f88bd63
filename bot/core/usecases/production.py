"""The production notice (生产通知单) and the goods ready (seed rules 6–7): a contract in force
is made against a notice signed by the VP in charge of sales; the factory makes the goods and
whoever files the order papers records that they are ready."""

from __future__ import annotations

from datetime import datetime

from bot.core.contracts import (
    Contract,
    ContractNotInForce,
    ContractStatus,
    ProductionStep,
    goods_ready,
    production_signed,
)
from bot.core.errors import NotAllowed
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.delivery_access import (
    ContractFile,
    People,
    contract_files,
    filers,
    files_for,
    ids,
    is_signer,
    org,
    seen_contract,
    signers,
)
from bot.core.usecases.guards import active_person


def production_ref(contract_id: int) -> str:
    return f"production:{contract_id}"


def contract_params(file: ContractFile) -> dict[str, object]:
    c = file.contract
    return {
        "contract_id": c.id,
        "number": c.number or "—",
        "customer": file.customer_name,
        "rep": file.owner_name,
        "delivery_date": c.delivery_date.isoformat(),
        "lines": [{"product": line.product, "quantity": str(line.quantity)} for line in c.lines],
    }


async def production_notice_due(
    uow: UnitOfWork, contract: Contract, now: datetime, policy: Policy
) -> None:
    """Seed rule 6: a contract that has just come into force needs its production notice
    signed; the signer (`policy.contracts.production_signer`, the nearest up the rep's line)
    gets a card with the button to sign it. Queued in the caller's unit of work, not committed:
    called by the use case that puts the contract in force."""
    people = await org(uow)
    (file,) = await contract_files(uow, [contract], people)
    params = contract_params(file)
    role = policy.contracts.production_signer
    await uow.outbox.add_many(
        [
            Notification(p.id, "production_to_sign", params, ref=production_ref(contract.id))
            for p in signers(role, contract.owner_id, people)
        ],
        now,
    )


async def production_to_sign(uow: UnitOfWork, actor_id: int, policy: Policy) -> list[ContractFile]:
    """The signer's queue: the contracts in force whose production notice waits for them."""
    actor = await active_person(uow, actor_id)
    return await signer_queue(uow, actor, await org(uow), policy)


async def signer_queue(
    uow: UnitOfWork, actor: Person, people: People, policy: Policy
) -> list[ContractFile]:
    role = policy.contracts.production_signer
    if actor.role is not role:
        return []
    waiting = [
        c
        for c in await uow.contracts.in_production(ProductionStep.to_sign)
        if is_signer(actor, role, c.owner_id, people)
    ]
    return await contract_files(uow, waiting, people)


async def goods_to_mark_ready(uow: UnitOfWork, actor_id: int, policy: Policy) -> list[ContractFile]:
    """The filer's queue: contracts whose notice is signed and whose goods are not ready."""
    actor = await active_person(uow, actor_id)
    return await filer_queue(uow, actor, await org(uow), policy, ProductionStep.to_make)


async def filer_queue(
    uow: UnitOfWork, actor: Person, people: People, policy: Policy, step: ProductionStep
) -> list[ContractFile]:
    """The contracts at `step` whose papers the actor files; at `to_deliver`, only those with
    something left to put on a delivery note."""
    mine = [
        c
        for c in await uow.contracts.in_production(step)
        if files_for(actor, c.owner_id, people, policy)
    ]
    files = await contract_files(uow, mine, people)
    return [f for f in files if f.to_deliver] if step is ProductionStep.to_deliver else files


async def held_contract(
    uow: UnitOfWork, actor: Person, contract_id: int, people: People, policy: Policy
) -> Contract:
    """The contract read after holding its row, so two taps at once check one after the
    other; one the actor may not look at names nothing."""
    await uow.contracts.hold(contract_id)
    return await seen_contract(uow, actor, contract_id, people, policy)


async def _saved(uow: UnitOfWork, contract: Contract) -> None:
    if not await uow.contracts.save(contract, expected=ContractStatus.in_force):
        raise ContractNotInForce(contract.number, ContractStatus.closed)


async def sign_production(
    uow: UnitOfWork, *, actor_id: int, contract_id: int, policy: Policy, now: datetime
) -> Contract:
    """The VP in charge of sales signs the production notice; whoever files the papers and
    the rep are told, and the other signers' cards say it is done."""
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    contract = await held_contract(uow, actor, contract_id, people, policy)
    role = policy.contracts.production_signer
    if not is_signer(actor, role, contract.owner_id, people):
        raise NotAllowed(action="sign_production")
    signed = production_signed(contract, by=actor.id, now=now)
    await _saved(uow, signed)
    (file,) = await contract_files(uow, [signed], people)
    params = {**contract_params(file), "by": actor.full_name}
    filing = ids(filers(signed.owner_id, people, policy), but=actor.id)
    watching = [pid for pid in ids(_rep(signed, people), but=actor.id) if pid not in filing]
    notices = [Notification(pid, "production_signed", params) for pid in filing]
    notices += [  # a rep who files nothing is told, not asked to mark the goods ready
        Notification(pid, "production_signed", {**params, "watching": True}) for pid in watching
    ]
    notices += [
        Notification(p.id, "production_to_sign_done", params, production_ref(signed.id), True, True)
        for p in signers(role, signed.owner_id, people)
    ]
    await uow.outbox.add_many(notices, now)
    await uow.audit.add(AuditEntry("production_signed", actor.id, now, f"contract:{signed.id}"))
    await uow.commit()
    return signed


async def record_goods_ready(
    uow: UnitOfWork, *, actor_id: int, contract_id: int, policy: Policy, now: datetime
) -> Contract:
    """Seed rule 7: the factory's goods are ready (the bot only records it); the filers are
    told they may file a delivery note, and the rep that the goods are ready."""
    actor = await active_person(uow, actor_id)
    people = await org(uow)
    contract = await held_contract(uow, actor, contract_id, people, policy)
    if not files_for(actor, contract.owner_id, people, policy):
        raise NotAllowed(action="goods_ready")
    ready = goods_ready(contract, now)
    await _saved(uow, ready)
    (file,) = await contract_files(uow, [ready], people)
    params = {**contract_params(file), "by": actor.full_name}
    told = ids([*filers(ready.owner_id, people, policy), *_rep(ready, people)], but=actor.id)
    await uow.outbox.add_many([Notification(pid, "goods_ready", params) for pid in told], now)
    await uow.audit.add(AuditEntry("goods_ready", actor.id, now, f"contract:{ready.id}"))
    await uow.commit()
    return ready


def _rep(contract: Contract, people: People) -> list[Person]:
    rep = people.get(contract.owner_id)
    return [rep] if rep is not None and rep.active else []
