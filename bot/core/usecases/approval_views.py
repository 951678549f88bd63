"""Loading requests for display, and the JSON snapshots that notifications are rendered from."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.approvals import ApprovalRequest, ApprovalStep, RequestView, StepStatus, money_str
from bot.core.calendar import local
from bot.core.cc import cc_ids
from bot.core.collections import CreditStanding, collected_percent
from bot.core.contracts import Contract
from bot.core.credit import CreditInfo
from bot.core.deals import DealTerms, changed_terms, net_amount, to_cent, unit_price
from bot.core.errors import NotAllowed, NotFound
from bot.core.invoices import Invoice
from bot.core.models import Person
from bot.core.org import visible_ids
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.credit import credit_of
from bot.core.usecases.guards import active_person


async def load_view(uow: UnitOfWork, request_id: int) -> RequestView:
    views = await load_views(uow, [request_id])
    if request_id not in views:
        raise NotFound(what="request")
    return views[request_id]


async def load_views(uow: UnitOfWork, request_ids: Collection[int]) -> dict[int, RequestView]:
    """The requests found, by id, with their steps, their customers' names and the names of
    everyone involved: four queries however many requests, so a sweep never reads per step."""
    if not request_ids:
        return {}
    requests = await uow.requests.by_ids(request_ids)
    steps: dict[int, list[ApprovalStep]] = {request.id: [] for request in requests}
    for step in await uow.steps.for_requests(list(steps)):
        steps[step.request_id].append(step)
    customer_ids = {request.terms.customer_id for request in requests}
    customer_ids |= {r.previous_terms.customer_id for r in requests if r.previous_terms}
    customers = await uow.customers.names(customer_ids)
    cc = await uow.requests.cc_of(list(steps))
    involved = {request.requester_id for request in requests} | {i for c in cc.values() for i in c}
    for chain in steps.values():
        involved |= {
            i for s in chain for i in (s.approver_id, s.acting_id, s.decided_by) if i is not None
        }
    names = {p.id: p.full_name for p in await uow.people.by_ids(involved)}
    applications = await _applications(uow, requests)
    invoices = await _invoices(uow, requests)
    return {
        request.id: RequestView(
            request,
            steps[request.id],
            customers.get(request.terms.customer_id, "—"),
            names,
            _previous_customer(request, customers),
            applications.get(request.id),
            invoice=invoices.get(request.id),
            cc=cc.get(request.id, ()),
        )
        for request in requests
    }


async def _applications(
    uow: UnitOfWork, requests: Sequence[ApprovalRequest]
) -> dict[int, dict[str, Any]]:
    """The lines and schedule of the contract applications among the requests (one read, and
    none when there are none): an approver decides with them on the card."""
    ids = [r.id for r in requests if r.kind == "contract"]
    if not ids:
        return {}
    return {
        c.request_id: application_params(c)
        for c in await uow.contracts.by_requests(ids)
        if c.request_id is not None
    }


async def _invoices(
    uow: UnitOfWork, requests: Sequence[ApprovalRequest]
) -> dict[int, dict[str, Any]]:
    """The facts the finance VP signs an invoice on (two reads, none without invoices)."""
    ids = [r.id for r in requests if r.kind == "invoice"]
    if not ids:
        return {}
    invoices = await uow.invoices.by_requests(ids)
    contracts = {c.id: c for c in await uow.contracts.by_ids({i.contract_id for i in invoices})}
    return {
        i.request_id: invoice_facts(contracts[i.contract_id], i)
        for i in invoices
        if i.request_id is not None and i.contract_id in contracts
    }


def invoice_facts(contract: Contract, invoice: Invoice) -> dict[str, Any]:
    """An invoice as its approver sees it: the contract's amount, what was collected when it
    was asked (and its share), the invoice amount and the balance still to collect."""
    return {
        "invoice_id": invoice.id,
        "contract_id": contract.id,
        "contract": contract.number or "—",
        "contract_amount": str(contract.amount),
        "collected": str(invoice.collected),
        "percent": str(collected_percent(contract.amount, invoice.collected)),
        "amount": str(invoice.amount),
        "balance": str(contract.amount - invoice.collected),
    }


def application_params(contract: Contract) -> dict[str, Any]:
    """A contract's terms as a message shows them: its lines, schedule and delivery date."""
    return {
        "number": contract.number,
        "amount": str(contract.amount),
        "lines": [
            {
                "product": line.product,
                "quantity": str(line.quantity),
                "price": str(line.unit_price),
                "discount": None if line.discount is None else str(line.discount),
                "amount": str(line.amount),
            }
            for line in contract.lines
        ],
        "deposit": str(contract.schedule.deposit),
        "instalments": [
            {"due": i.due.isoformat(), "amount": str(i.amount)}
            for i in contract.schedule.instalments
        ],
        "delivery": contract.delivery_date.isoformat(),
    }


async def with_credit(
    uow: UnitOfWork, views: Mapping[int, RequestView], now: datetime, policy: Policy
) -> dict[int, RequestView]:
    """The views with their customers' credit standing, read for all of them at once
    (`credit_of`): an approver sees a customer on watch or on hold on the card, with what is
    overdue and for how long; a good customer adds nothing to the card."""
    today = local(now, policy).date()
    credit = await credit_of(
        uow, {v.request.terms.customer_id for v in views.values()}, today, policy
    )
    return {
        request_id: replace(view, credit=credit_params(credit[view.request.terms.customer_id]))
        for request_id, view in views.items()
    }


def credit_params(info: CreditInfo) -> dict[str, Any] | None:
    if info.standing is CreditStanding.good:
        return None
    return {
        "standing": info.standing.value,
        "overdue": str(to_cent(info.overdue)),
        "days": info.days_late,
    }


def _previous_customer(request: ApprovalRequest, customers: dict[int, str]) -> str | None:
    before = request.previous_terms
    if before is None or before.customer_id == request.terms.customer_id:
        return None
    return customers.get(before.customer_id, "—")


async def headline_views(
    uow: UnitOfWork, steps: Collection[ApprovalStep]
) -> dict[int, RequestView]:
    """The views `headline_params` needs for these steps, by request id: without the chains,
    with the names of the steps' approvers and delegates. Three queries however many steps."""
    if not steps:
        return {}
    requests = await uow.requests.by_ids({step.request_id for step in steps})
    customers = await uow.customers.names({request.terms.customer_id for request in requests})
    involved = {i for s in steps for i in (s.approver_id, s.acting_id) if i is not None}
    names = {p.id: p.full_name for p in await uow.people.by_ids(involved)}
    return {
        request.id: RequestView(request, [], customers.get(request.terms.customer_id, "—"), names)
        for request in requests
    }


def sees_request(
    actor: Person, view: RequestView, people: Iterable[Person], cc: Collection[str] = ()
) -> bool:
    """Who may read a request: the requester, anyone in its chain, their managers, whom the
    kind's `cc` codes name or the requester added (抄送: they read it, they never decide it)."""
    everyone = list(people)
    involved = {view.request.requester_id} | {s.approver_id for s in view.steps}
    involved |= {s.acting_id for s in view.steps if s.acting_id is not None}
    involved |= cc_ids(cc, view.request.requester_id, everyone) | set(view.cc)
    return actor.id in involved or view.request.requester_id in visible_ids(actor, everyone)


async def view_for(uow: UnitOfWork, actor_id: int, request_id: int, policy: Policy) -> RequestView:
    """A request as the actor may see it (`sees_request`)."""
    actor = await active_person(uow, actor_id)
    view = await load_view(uow, request_id)
    rule = policy.approval.get(view.request.kind)
    if not sees_request(actor, view, await uow.people.all(), rule.cc if rule else ()):
        raise NotAllowed(action="view_request")
    return view


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def step_snapshot(step: ApprovalStep, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": step.id,
        "round": step.round,
        "role": step.role.value,
        "approver": names.get(step.approver_id, "—"),
        "acting": names.get(step.acting_id) if step.acting_id else None,
        "moved": step.moved.value if step.moved else None,
        "status": step.status.value,
        "decided_by": names.get(step.decided_by) if step.decided_by else None,
        "on_behalf_of": names.get(step.on_behalf_of) if step.on_behalf_of else None,
        "decided_at": _iso(step.decided_at),
        "due_at": _iso(step.due_at),
        "comment": step.comment,
        "reason": _reason(step, names),
    }


def _reason(step: ApprovalStep, names: dict[int, str]) -> dict[str, str | None]:
    """Why the step is there; an added reviewer's (加签) names who asked, not their id."""
    if step.reason.get("kind") != "added":
        return step.reason
    return {**step.reason, "by": names.get(int(step.reason.get("by") or 0), "—")}


def _shown(terms: DealTerms, name: str, customer: str | None) -> str | None:
    if name == "customer_id":
        return customer
    value = getattr(terms, name)
    return None if value is None else str(value)


def terms_changes(view: RequestView) -> list[dict[str, str | None]]:
    """What the requester changed since the round before: field, value then, value now."""
    before, after = view.request.previous_terms, view.request.terms
    if before is None:
        return []
    return [
        {
            "field": "customer" if name == "customer_id" else name,
            "before": _shown(before, name, view.previous_customer_name),
            "after": _shown(after, name, view.customer_name),
        }
        for name in changed_terms(before, after)
    ]


def request_snapshot(view: RequestView) -> dict[str, Any]:
    """Everything a card or status message shows, as plain JSON values."""
    request: ApprovalRequest = view.request
    terms = request.terms
    decided = [s for s in view.steps if s.status not in (StepStatus.waiting, StepStatus.pending)]
    return {
        "request_id": request.id,
        "kind": request.kind,
        "application": view.application,
        "credit": view.credit,
        "invoice": view.invoice,
        "status": request.status.value,
        "round": request.round,
        "requester": view.names.get(request.requester_id, "—"),
        "customer": view.customer_name,
        "customer_id": terms.customer_id,
        "product": terms.product,
        "quantity": str(terms.quantity),
        "amount": str(terms.amount),
        "discount": money_str(terms.discount),
        "payment_terms": terms.payment_terms,
        "deposit": money_str(terms.deposit),
        "note": terms.note,
        "net_amount": money_str(net_amount(terms)) if terms.discount is not None else None,
        "unit_price": None
        if request.kind == "contract"  # several lines: their own unit prices, on the card
        else money_str(unit_price(net_amount(terms), terms.quantity)),
        "changes": terms_changes(view),
        "created_at": _iso(request.created_at),
        "history": [step_snapshot(s, view.names) for s in decided if s.decided_by is not None],
        "chain": [step_snapshot(s, view.names) for s in view.current_round()],
        "cc": [view.names.get(i, "—") for i in view.cc],
    }


def card_params(view: RequestView, step: ApprovalStep) -> dict[str, Any]:
    return {**request_snapshot(view), "step": step_snapshot(step, view.names)}


def headline_params(view: RequestView, step: ApprovalStep) -> dict[str, Any]:
    """A request's headline and one of its steps: what a reminder, an overdue notice and a
    digest line show. A fraction of the card, and a sweep may write thousands of them."""
    terms = view.request.terms
    return {
        "request_id": view.request.id,
        "kind": view.request.kind,
        "customer": view.customer_name,
        "product": terms.product,
        "amount": str(terms.amount),
        "discount": money_str(terms.discount),
        "step": step_snapshot(step, view.names),
    }
