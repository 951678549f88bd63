"""In-memory fakes of the contract ledger's ports (contracts, payments, delivery notes, work
orders), composed onto `routine_fakes.RoutineUnitOfWork` like its deals.

They follow `storage/contract_repos.py` and `storage/ledger_repos.py` where a use case can
tell: reads are copies (the records are frozen), `save` writes only when the status is still
the one expected, numbers count per series from 1, notes count per contract from 1, the
ledger lists newest first, and a request or number is unique. Imported as `contract_fakes`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal

from bot.core.collection_dues import DueItem, DueKey
from bot.core.contract_terms import ContractLine, PaymentSchedule
from bot.core.contracts import Contract, ContractDraft, ContractStatus, ProductionStep
from bot.core.deliveries import DeliveryNote, DeliveryStatus, delivered_quantities
from bot.core.invoices import Invoice, InvoiceStatus
from bot.core.orders import Deal, DealStage
from bot.core.payments import Payment, PaymentDraft
from bot.core.work_orders import WorkOrder, WorkOrderStatus

_TERMS = {"lines", "schedule", "delivery_date", "deal_id", "customer_id", "owner_id", "filed_by"}


class FakeContracts:
    def __init__(self) -> None:
        self.rows: dict[int, Contract] = {}
        self.counters: dict[int, int] = {}
        self.held: list[int] = []
        # the unit of work's customer names, looked up when searched (casefolded)
        self.customer_names: Callable[[], Callable[[int], str]] = lambda: lambda _id: ""
        # the unit of work's deals, looked up when read (to_deliver: the deal is contracted)
        self.deals: Callable[[], Collection[Deal]] = list

    async def apply(self, draft: ContractDraft, *, filed_by: int, now: datetime) -> Contract:
        contract = Contract(
            id=max(self.rows, default=0) + 1,
            deal_id=draft.deal_id,
            customer_id=draft.customer_id,
            owner_id=draft.owner_id,
            filed_by=filed_by,
            status=ContractStatus.applied,
            lines=draft.lines,
            schedule=draft.schedule,
            delivery_date=draft.delivery_date,
            created_at=now,
        )
        self.rows[contract.id] = contract
        return contract

    async def get(self, contract_id: int) -> Contract | None:
        return self.rows.get(contract_id)

    async def by_ids(self, contract_ids: Collection[int]) -> Sequence[Contract]:
        return [self.rows[i] for i in sorted(set(contract_ids)) if i in self.rows]

    async def by_request(self, request_id: int) -> Contract | None:
        return next((c for c in self.rows.values() if c.request_id == request_id), None)

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Contract]:
        return [c for c in self.rows.values() if c.request_id in request_ids]

    async def for_deal(self, deal_id: int) -> Sequence[Contract]:
        return [c for c in self.rows.values() if c.deal_id == deal_id]

    async def for_deals(self, deal_ids: Collection[int]) -> Sequence[Contract]:
        return [c for c in self.rows.values() if c.deal_id in deal_ids]

    async def save(self, contract: Contract, *, expected: ContractStatus) -> bool:
        stored = self.rows.get(contract.id)
        if stored is None or stored.status is not expected:
            return False
        taken = {c.number for c in self.rows.values() if c.id != contract.id and c.number}
        requests = {c.request_id for c in self.rows.values() if c.id != contract.id}
        if contract.number in taken or (contract.request_id and contract.request_id in requests):
            raise AssertionError("number and request are unique in storage")
        moving = {f.name: getattr(contract, f.name) for f in fields(Contract)}
        self.rows[contract.id] = replace(
            stored, **{k: v for k, v in moving.items() if k not in _TERMS | {"id", "created_at"}}
        )
        return True

    async def revise(
        self,
        contract_id: int,
        *,
        lines: Sequence[ContractLine],
        schedule: PaymentSchedule,
        delivery_date: date,
    ) -> None:
        self.rows[contract_id] = replace(
            self.rows[contract_id],
            lines=tuple(lines),
            schedule=schedule,
            delivery_date=delivery_date,
        )

    async def hold(self, contract_id: int) -> None:
        self.held.append(contract_id)

    async def in_production(self, step: ProductionStep) -> Sequence[Contract]:
        contracted = {d.id for d in self.deals() if d.stage is DealStage.contracted}

        def at_step(c: Contract) -> bool:
            signed, ready = c.production_signed_at is not None, c.goods_ready_at is not None
            if step is ProductionStep.to_sign:
                return not signed and not ready
            if step is ProductionStep.to_make:
                return signed and not ready
            return ready and c.deal_id in contracted

        in_force = (c for c in self.rows.values() if c.status is ContractStatus.in_force)
        return sorted((c for c in in_force if at_step(c)), key=lambda c: c.id)

    async def next_number_seq(self, series: int) -> int:
        self.counters[series] = self.counters.get(series, 0) + 1
        return self.counters[series]

    async def ledger(
        self,
        *,
        owner_ids: Collection[int] | None = None,
        customer_id: int | None = None,
        statuses: Collection[ContractStatus] | None = None,
        limit: int = 20,
        offset: int = 0,
        customer_ids: Collection[int] | None = None,
        due_before: date | None = None,
        below_id: int | None = None,
    ) -> Sequence[Contract]:
        found = [
            c
            for c in sorted(self.rows.values(), key=lambda c: c.id, reverse=True)
            if (below_id is None or c.id < below_id)
            and (owner_ids is None or c.owner_id in owner_ids)
            and (customer_id is None or c.customer_id == customer_id)
            and (statuses is None or c.status in statuses)
            and (customer_ids is None or c.customer_id in customer_ids)
            and (due_before is None or any(i.due < due_before for i in c.schedule.instalments))
        ]
        return found[offset : offset + limit]

    async def flag_legal(self, contract_ids: Collection[int], now: datetime) -> set[int]:
        flagged = {
            i for i in contract_ids if i in self.rows and self.rows[i].legal_flagged_at is None
        }
        for i in flagged:
            self.rows[i] = replace(self.rows[i], legal_flagged_at=now)
        return flagged

    async def collectable(
        self, *, owner_ids: Collection[int] | None, closed_since: datetime
    ) -> Sequence[Contract]:
        return [
            c
            for c in sorted(self.rows.values(), key=lambda c: c.id)
            if (owner_ids is None or c.owner_id in owner_ids)
            and (
                c.status is ContractStatus.in_force
                or (
                    c.status is ContractStatus.closed
                    and c.closed_at is not None
                    and c.closed_at >= closed_since
                )
            )
        ]

    async def any_cosigned_before(self, end: datetime) -> bool:
        return any(c.cosigned_at is not None and c.cosigned_at < end for c in self.rows.values())

    async def cosigned_between(self, start: datetime, end: datetime) -> Sequence[Contract]:
        return [
            c
            for _i, c in sorted(self.rows.items())
            if c.status in (ContractStatus.in_force, ContractStatus.closed)
            and c.cosigned_at is not None
            and start <= c.cosigned_at < end
        ]

    async def find(
        self,
        text: str,
        *,
        statuses: Collection[ContractStatus],
        owner_ids: Collection[int] | None = None,
        limit: int = 20,
    ) -> Sequence[Contract]:
        folded = text.casefold()
        names = self.customer_names()
        return [
            c
            for c in sorted(self.rows.values(), key=lambda c: c.id, reverse=True)
            if c.status in statuses
            and (owner_ids is None or c.owner_id in owner_ids)
            and (folded in (c.number or "").casefold() or folded in names(c.customer_id))
        ][:limit]

    def __getitem__(self, contract_id: int) -> Contract:
        return self.rows[contract_id]


class FakeCollectionClaims:
    def __init__(self) -> None:
        self.claimed: set[DueKey] = set()

    async def claim_many(self, items: Sequence[DueItem], now: datetime) -> set[DueKey]:
        fresh = {item.key for item in items} - self.claimed
        self.claimed |= fresh
        return fresh


class FakePayments:
    def __init__(self) -> None:
        self.rows: list[Payment] = []
        # the unit of work's contracts, looked up when read by owner
        self.contracts: Callable[[], FakeContracts] = FakeContracts

    async def add(self, draft: PaymentDraft, *, recorded_by: int, now: datetime) -> Payment:
        payment = Payment(
            len(self.rows) + 1,
            draft.contract_id,
            draft.amount,
            draft.paid_on,
            draft.method,
            draft.reference,
            recorded_by,
            now,
        )
        self.rows.append(payment)
        return payment

    async def for_contract(self, contract_id: int) -> Sequence[Payment]:
        return (await self.for_contracts([contract_id])).get(contract_id, [])

    async def for_contracts(self, contract_ids: Collection[int]) -> dict[int, list[Payment]]:
        found: dict[int, list[Payment]] = {}
        for p in sorted(self.rows, key=lambda p: (p.paid_on, p.recorded_at, p.id)):
            if p.contract_id in contract_ids:
                found.setdefault(p.contract_id, []).append(p)
        return found

    async def receipts(
        self, contract_ids: Collection[int]
    ) -> dict[int, list[tuple[date, Decimal]]]:
        return {
            contract_id: [(p.paid_on, p.amount) for p in paid]
            for contract_id, paid in (await self.for_contracts(contract_ids)).items()
        }

    async def paid_between(
        self, first: date, last: date, *, owner_ids: Collection[int] | None = None
    ) -> Sequence[Payment]:
        contracts = self.contracts().rows
        return [
            p
            for p in sorted(self.rows, key=lambda p: (p.paid_on, p.recorded_at, p.id))
            if first <= p.paid_on <= last
            and p.contract_id in contracts
            and (owner_ids is None or contracts[p.contract_id].owner_id in owner_ids)
        ]


class FakeDeliveries:
    def __init__(self) -> None:
        self.rows: dict[int, DeliveryNote] = {}
        # the unit of work's contracts, looked up when read (a snapshot copies no link)
        self.contracts: Callable[[], FakeContracts] = FakeContracts

    async def add(
        self, contract_id: int, *, lines: Sequence[Decimal], filed_by: int, now: datetime
    ) -> DeliveryNote:
        seq = 1 + max(
            (n.seq for n in self.rows.values() if n.contract_id == contract_id), default=0
        )
        note = DeliveryNote(
            len(self.rows) + 1, contract_id, seq, tuple(lines), DeliveryStatus.filed, filed_by, now
        )
        self.rows[note.id] = note
        return note

    async def get(self, note_id: int) -> DeliveryNote | None:
        return self.rows.get(note_id)

    async def for_contract(self, contract_id: int) -> Sequence[DeliveryNote]:
        return sorted(
            (n for n in self.rows.values() if n.contract_id == contract_id), key=lambda n: n.seq
        )

    async def save(self, note: DeliveryNote, *, expected: DeliveryStatus) -> bool:
        stored = self.rows.get(note.id)
        if stored is None or stored.status is not expected:
            return False
        self.rows[note.id] = replace(note, lines=stored.lines, seq=stored.seq)
        return True

    async def in_status(self, statuses: Collection[DeliveryStatus]) -> Sequence[DeliveryNote]:
        return sorted((n for n in self.rows.values() if n.status in statuses), key=lambda n: n.id)

    async def booked_between(self, start: datetime, end: datetime) -> Sequence[DeliveryNote]:
        return [
            n
            for _id, n in sorted(self.rows.items())
            if n.booked_at is not None
            and start <= n.booked_at < end
            and n.status is not DeliveryStatus.cancelled
        ]

    async def delivered(self, contract_ids: Collection[int]) -> dict[int, tuple[Decimal, ...]]:
        contracts = self.contracts()
        return {
            i: delivered_quantities(len(contracts[i].lines), await self.for_contract(i))
            for i in contract_ids
            if i in contracts.rows
        }


class FakeWorkOrders:
    def __init__(self) -> None:
        self.rows: dict[int, WorkOrder] = {}

    async def add(self, contract_id: int, *, task: str, filed_by: int, now: datetime) -> WorkOrder:
        order = WorkOrder(
            len(self.rows) + 1, contract_id, task, WorkOrderStatus.filed, filed_by, now
        )
        self.rows[order.id] = order
        return order

    async def get(self, order_id: int) -> WorkOrder | None:
        return self.rows.get(order_id)

    async def for_contract(self, contract_id: int) -> Sequence[WorkOrder]:
        return [o for o in self.rows.values() if o.contract_id == contract_id]

    async def save(self, order: WorkOrder, *, expected: WorkOrderStatus) -> bool:
        stored = self.rows.get(order.id)
        if stored is None or stored.status is not expected:
            return False
        self.rows[order.id] = replace(order, task=stored.task)
        return True

    async def in_status(self, statuses: Collection[WorkOrderStatus]) -> Sequence[WorkOrder]:
        return [o for _id, o in sorted(self.rows.items()) if o.status in statuses]


class FakeInvoices:
    def __init__(self) -> None:
        self.rows: dict[int, Invoice] = {}

    async def add(
        self,
        contract_id: int,
        *,
        amount: Decimal,
        collected: Decimal,
        asked_by: int,
        now: datetime,
    ) -> Invoice:
        status = InvoiceStatus.asked
        invoice = Invoice(len(self.rows) + 1, contract_id, amount, status, asked_by, now, collected)
        self.rows[invoice.id] = invoice
        return invoice

    async def get(self, invoice_id: int) -> Invoice | None:
        return self.rows.get(invoice_id)

    async def by_request(self, request_id: int) -> Invoice | None:
        return next((i for i in self.rows.values() if i.request_id == request_id), None)

    async def by_number(self, number: str) -> Invoice | None:
        return next((i for i in self.rows.values() if i.number == number), None)

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Invoice]:
        return [i for i in self.rows.values() if i.request_id in request_ids]

    async def for_contract(self, contract_id: int) -> Sequence[Invoice]:
        return [i for i in self.rows.values() if i.contract_id == contract_id]

    async def for_contracts(self, contract_ids: Collection[int]) -> Sequence[Invoice]:
        return [i for i in self.rows.values() if i.contract_id in contract_ids]

    async def save(self, invoice: Invoice, *, expected: InvoiceStatus) -> bool:
        stored = self.rows.get(invoice.id)
        if stored is None or stored.status is not expected:
            return False
        self.rows[invoice.id] = replace(invoice, amount=stored.amount, collected=stored.collected)
        return True

    async def in_status(self, status: InvoiceStatus) -> Sequence[Invoice]:
        return [i for _id, i in sorted(self.rows.items()) if i.status is status]
