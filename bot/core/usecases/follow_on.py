"""Follow-on service (接续, seed rule 10; issue 12, item 9): the sales desk files a work order
(派工单) for a contract whose first payment arrived, the nearest sales manager up the rep's
line signs it, the signer or the desk assigns customer service, and the assignee's acceptance
report (接续验收报告) closes it. The rep and the desk are told."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.core.contracts import Contract, ContractNotInForce, ContractStatus
from bot.core.errors import DomainError, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import may_file
from bot.core.org import line_above
from bot.core.payments import Payment, check_first_payment
from bot.core.policy import FiledBy, Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.collections import deposit_received
from bot.core.usecases.contract_search import ContractFile, contract_files, found_contracts
from bot.core.usecases.guards import active_person
from bot.core.work_orders import (
    WorkOrder,
    WorkOrderStatus,
    WorkOrderStatusOrder,
    accept_work_order,
    assign_work_order,
    check_work_order,
    sign_work_order,
)

WS = WorkOrderStatus
SERVICEABLE = frozenset({ContractStatus.in_force, ContractStatus.closed})
OPEN = frozenset({WS.filed, WS.signed, WS.assigned})


class NoSigner(DomainError):
    """Nobody active above the rep is a sales manager, so nobody could sign the work order."""

    code = "no_signer"


@dataclass(frozen=True, slots=True)
class WorkOrderFile:
    """A work order with the names its screen, its notices and its printed page show."""

    order: WorkOrder
    file: ContractFile
    names: dict[int, str]  # the people it names, by id

    def name(self, person_id: int | None) -> str | None:
        return None if person_id is None else self.names.get(person_id, "—")


@dataclass(frozen=True, slots=True)
class FollowOnQueue:
    to_sign: list[WorkOrderFile]
    to_assign: list[WorkOrderFile]
    to_accept: list[WorkOrderFile]


def _signer(owner_id: int, by_id: dict[int, Person]) -> Person | None:
    """The nearest active sales manager up the rep's line (seed: the sales manager signs)."""
    return next(
        (p for p in line_above(owner_id, by_id) if p.active and p.role is Role.sales_manager),
        None,
    )


def _desk(people: Iterable[Person]) -> list[Person]:
    return [p for p in people if p.active and p.role is Role.sales_desk]


async def _people(uow: UnitOfWork) -> dict[int, Person]:
    return {p.id: p for p in await uow.people.all()}


def files_work_orders(actor: Person, filed_by: FiledBy, people: Iterable[Person]) -> bool:
    """Whether the actor files work orders at all: the desk, or a rep as `may_file` allows."""
    if actor.role not in (Role.sales_desk, Role.rep):
        return False
    return may_file(actor, actor.id, filed_by, bool(_desk(people)))


async def may_file_work_orders(uow: UnitOfWork, actor_id: int, policy: Policy) -> bool:
    actor = await active_person(uow, actor_id)
    return files_work_orders(actor, policy.orders.filed_by, await uow.people.all())


def _check_filer(actor: Person, contract: Contract, policy: Policy, people: list[Person]) -> None:
    if may_file(actor, contract.owner_id, policy.orders.filed_by, bool(_desk(people))):
        return
    if files_work_orders(actor, policy.orders.filed_by, people):
        raise NotFound(what="contract")  # another rep's contract names nothing to this one
    raise NotAllowed(action="file_work_order")


async def serviceable_contracts(
    uow: UnitOfWork, actor_id: int, text: str, policy: Policy
) -> list[ContractFile]:
    """The contracts in force or closed that the actor may file a work order for."""
    actor = await active_person(uow, actor_id)
    if not files_work_orders(actor, policy.orders.filed_by, await uow.people.all()):
        raise NotAllowed(action="file_work_order")
    owners = None if actor.role is Role.sales_desk else {actor.id}
    return await found_contracts(uow, text, SERVICEABLE, owners)


async def _contract_to_serve(
    uow: UnitOfWork, actor_id: int, contract_id: int, policy: Policy
) -> tuple[Contract, list[Payment], Decimal]:
    actor = await active_person(uow, actor_id)
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound(what="contract")
    _check_filer(actor, contract, policy, list(await uow.people.all()))
    payments = list(await uow.payments.for_contract(contract.id))
    return contract, payments, await deposit_received(uow, contract)


async def work_order_contract(
    uow: UnitOfWork, actor_id: int, contract_id: int, policy: Policy
) -> ContractFile:
    """The contract a work order is to be filed for, checked when it is picked: the actor
    may file for it, and the customer's first payment arrived (the deposit does not count)."""
    contract, payments, deposit = await _contract_to_serve(uow, actor_id, contract_id, policy)
    if contract.status not in SERVICEABLE:
        raise ContractNotInForce(contract.number, contract.status)
    check_first_payment(contract, payments, deposit)
    (file,) = await contract_files(uow, [contract])
    return file


async def file_work_order(
    uow: UnitOfWork, *, actor_id: int, contract_id: int, task: str, policy: Policy, now: datetime
) -> WorkOrder:
    """The desk (or the rep) files the work order; the nearest sales manager up the rep's line
    gets it to sign."""
    contract, payments, deposit = await _contract_to_serve(uow, actor_id, contract_id, policy)
    kept = check_work_order(contract, payments, deposit, task)
    people = await _people(uow)
    signer = _signer(contract.owner_id, people)
    if signer is None:
        raise NoSigner()
    order = await uow.work_orders.add(contract.id, task=kept, filed_by=actor_id, now=now)
    (file,) = await contract_files(uow, [contract])
    await uow.outbox.add(_card(signer.id, _file(order, file, people)), now)
    await uow.audit.add(AuditEntry("work_order_filed", actor_id, now, _ref(order.id)))
    await uow.commit()
    return order


def _ref(order_id: int) -> str:
    return f"work_order:{order_id}"


def work_order_params(view: WorkOrderFile) -> dict[str, object]:
    order = view.order
    return {
        "order_id": order.id,
        "status": order.status.value,
        "number": view.file.contract.number,
        "customer": view.file.customer_name,
        "rep": view.file.owner_name,
        "task": order.task,
        "filed_by": view.name(order.filed_by),
        "signed_by": view.name(order.signed_by),
        "assignee": view.name(order.assignee_id),
        "acceptance": order.acceptance,
    }


def _card(signer_id: int, view: WorkOrderFile, *, edit: bool = False) -> Notification:
    """The signer's card; once signed, the same message is edited to say so."""
    return Notification(
        signer_id,
        "work_order_to_sign",
        work_order_params(view),
        ref=_ref(view.order.id),
        edit=edit,
        edit_only=edit,
    )


def _file(order: WorkOrder, file: ContractFile, people: dict[int, Person]) -> WorkOrderFile:
    ids = {order.filed_by, order.signed_by, order.assignee_id} - {None}
    return WorkOrderFile(order, file, {i: people[i].full_name for i in ids if i in people})


async def _files(uow: UnitOfWork, orders: Sequence[WorkOrder]) -> list[WorkOrderFile]:
    contracts = await uow.contracts.by_ids({o.contract_id for o in orders})
    files = {f.contract.id: f for f in await contract_files(uow, contracts)}
    people = await _people(uow)
    return [_file(o, files[o.contract_id], people) for o in orders if o.contract_id in files]


def _sees(actor: Person, view: WorkOrderFile, people: dict[int, Person]) -> bool:
    """Who may open a work order: the people it names, the rep and everyone up the rep's
    line, and the sales desk."""
    order, owner = view.order, view.file.contract.owner_id
    named = {owner, order.filed_by, order.signed_by, order.assignee_id}
    above = {p.id for p in line_above(owner, people)}
    return actor.id in named | above or actor.role is Role.sales_desk


@dataclass(frozen=True, slots=True)
class WorkOrderScreen:
    """A work order as one person sees it, with what they may do to it."""

    view: WorkOrderFile
    may_sign: bool
    may_assign: bool
    may_accept: bool


async def work_order_screen(uow: UnitOfWork, actor_id: int, order_id: int) -> WorkOrderScreen:
    actor = await active_person(uow, actor_id)
    order = await uow.work_orders.get(order_id)
    found = await _files(uow, [order]) if order is not None else []
    people = await _people(uow)
    if not found or not _sees(actor, found[0], people):
        raise NotFound(what="work_order")
    view = found[0]
    signer = _signer(view.file.contract.owner_id, people)
    return WorkOrderScreen(
        view,
        may_sign=view.order.status is WS.filed and signer is not None and signer.id == actor.id,
        may_assign=view.order.status is WS.signed and _assigns(actor, view.order),
        may_accept=view.order.status is WS.assigned and view.order.assignee_id == actor.id,
    )


def _assigns(actor: Person, order: WorkOrder) -> bool:
    return actor.role is Role.sales_desk or actor.id == order.signed_by


async def _saved(uow: UnitOfWork, moved: WorkOrder, expected: WorkOrderStatus) -> None:
    """Compare-and-set: of two taps, the second finds the order moved and is refused."""
    if not await uow.work_orders.save(moved, expected=expected):
        raise WorkOrderStatusOrder(expected, moved.status, None, over=False)


async def _order(uow: UnitOfWork, order_id: int) -> WorkOrder:
    order = await uow.work_orders.get(order_id)
    if order is None:
        raise NotFound(what="work_order")
    return order


async def sign(uow: UnitOfWork, *, actor_id: int, order_id: int, now: datetime) -> WorkOrder:
    """The nearest active sales manager up the rep's line signs; the desk is told to assign."""
    actor = await active_person(uow, actor_id)
    order = await _order(uow, order_id)
    (view,) = await _files(uow, [order])
    people = await _people(uow)
    signer = _signer(view.file.contract.owner_id, people)
    if signer is None or signer.id != actor.id:
        raise NotAllowed(action="sign_work_order")
    signed = sign_work_order(order, by=actor.id, now=now)
    await _saved(uow, signed, WS.filed)
    after = _file(signed, view.file, people)
    notices = [_card(actor.id, after, edit=True)]
    notices += [
        Notification(p.id, "work_order_signed", work_order_params(after))
        for p in _desk(people.values())
    ]
    await uow.outbox.add_many(notices, now)
    await uow.audit.add(AuditEntry("work_order_signed", actor.id, now, _ref(order.id)))
    await uow.commit()
    return signed


async def customer_service(uow: UnitOfWork) -> list[Person]:
    """Who can be assigned follow-on work: the active customer service people."""
    return [p for p in await uow.people.all() if p.active and p.role is Role.customer_service]


async def assign(
    uow: UnitOfWork, *, actor_id: int, order_id: int, assignee_id: int, now: datetime
) -> WorkOrder:
    """The signer or the desk assigns an active customer service person, who is told."""
    actor = await active_person(uow, actor_id)
    order = await _order(uow, order_id)
    if not _assigns(actor, order):
        raise NotAllowed(action="assign_work_order")
    if assignee_id not in {p.id for p in await customer_service(uow)}:
        raise NotFound(what="person")
    assigned = assign_work_order(order, assignee_id=assignee_id, now=now)
    await _saved(uow, assigned, WS.signed)
    (view,) = await _files(uow, [assigned])
    await uow.outbox.add(
        Notification(assignee_id, "work_order_assigned", work_order_params(view)), now
    )
    await uow.audit.add(AuditEntry("work_order_assigned", actor.id, now, _ref(order.id)))
    await uow.commit()
    return assigned


async def accept(
    uow: UnitOfWork, *, actor_id: int, order_id: int, acceptance: str, now: datetime
) -> WorkOrder:
    """The assignee's acceptance report closes the order; the rep and the desk are told (the
    one who filed it, when nobody is at the desk)."""
    actor = await active_person(uow, actor_id)
    order = await _order(uow, order_id)
    if order.assignee_id != actor.id:
        if actor.role is Role.customer_service:
            raise NotFound(what="work_order")  # another one's work names nothing here
        raise NotAllowed(action="accept_work_order")
    accepted = accept_work_order(order, acceptance=acceptance, now=now)
    await _saved(uow, accepted, WS.assigned)
    (view,) = await _files(uow, [accepted])
    desk = [p.id for p in _desk(await uow.people.all())] or [order.filed_by]
    told = dict.fromkeys([view.file.contract.owner_id, *desk])
    params = work_order_params(view)
    await uow.outbox.add_many(
        [Notification(pid, "work_order_accepted", params) for pid in told], now
    )
    await uow.audit.add(AuditEntry("work_order_accepted", actor.id, now, _ref(order.id)))
    await uow.commit()
    return accepted


async def follow_on_queue(uow: UnitOfWork, actor_id: int) -> FollowOnQueue:
    """What waits for the actor: orders to sign, to assign, to carry out; oldest first."""
    actor = await active_person(uow, actor_id)
    views = await _files(uow, await uow.work_orders.in_status(OPEN))
    people = await _people(uow)

    def signs(v: WorkOrderFile) -> bool:
        signer = _signer(v.file.contract.owner_id, people)
        return signer is not None and signer.id == actor.id

    return FollowOnQueue(
        to_sign=[v for v in views if v.order.status is WS.filed and signs(v)],
        to_assign=[v for v in views if v.order.status is WS.signed and _assigns(actor, v.order)],
        to_accept=[
            v for v in views if v.order.status is WS.assigned and v.order.assignee_id == actor.id
        ],
    )
