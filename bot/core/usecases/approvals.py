"""Deal requests on their way up the chain: submit, decide, withdraw, resubmit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise

from bot.core.approvals import (
    ApprovalRequest,
    ApprovalStep,
    Decision,
    Moved,
    RequestStatus,
    RequestView,
    StepStatus,
)
from bot.core.calendar import local, next_nudge_time, step_due
from bot.core.cc import cc_ids
from bot.core.deals import DealTerms, check_terms
from bot.core.errors import AlreadyDecided, NotAllowed, NotFound, ReasonRequired
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.routing import RouteStep, route, trusted_deputy
from bot.core.usecases.approval_views import (
    card_params,
    load_view,
    load_views,
    request_snapshot,
    sees_request,
    with_credit,
)
from bot.core.usecases.guards import active_person
from bot.core.usecases.request_settle import settle, settle_ended

KIND = "special_terms"
# Colleagues a requester may add to inform of one request (抄送).
MAX_CC = 5
# The kinds a delegate is chosen for (the everyday special terms); a step of another kind
# (a contract application) goes to the delegate only where its order trusts them
# (`trusted_deputy`), else it stays with the approver.
ROUTED_KINDS = (KIND,)
CLOSED_TEMPLATE = {
    RequestStatus.approved: "request_approved",
    RequestStatus.rejected: "request_rejected",
    RequestStatus.returned: "request_returned",
}


def step_ref(step_id: int) -> str:
    return f"step:{step_id}"


def status_ref(request_id: int) -> str:
    return f"request:{request_id}:status"


def first_nudge(opened_at: datetime, due_at: datetime, policy: Policy) -> datetime:
    """The first reminder goes `remind_before_minutes` ahead of the deadline (never before the
    step opened), moved out of quiet hours; with no reminder budget the deadline itself."""
    rules = policy.deadlines
    if rules.max_reminders == 0 or rules.remind_before_minutes == 0:
        return due_at
    at = max(opened_at, due_at - timedelta(minutes=rules.remind_before_minutes))
    return min(next_nudge_time(at, policy), due_at)


async def _owned_customer(uow: UnitOfWork, requester_id: int, customer_id: int) -> None:
    customer = await uow.customers.get(customer_id)
    if customer is None or customer.owner_id != requester_id:
        raise NotFound(what="customer")


async def _active_delegate(uow: UnitOfWork, approver_id: int, now: datetime) -> Person | None:
    delegation = await uow.delegations.current(approver_id, now)
    if delegation is None:
        return None
    delegate = await uow.people.get(delegation.delegate_id)
    return delegate if delegate is not None and delegate.active else None


async def _delegate(
    uow: UnitOfWork, step: ApprovalStep, kind: str, policy: Policy, now: datetime
) -> int | None:
    """Who decides the step for its away approver: their delegate, where the kind trusts them."""
    delegate = await _active_delegate(uow, step.approver_id, now)
    if delegate is None or not trusted_deputy(delegate.role, step.role, kind, policy):
        return None
    return delegate.id


async def open_step(
    uow: UnitOfWork, step: ApprovalStep, kind: str, policy: Policy, now: datetime
) -> ApprovalStep:
    due = step_due(now, policy)
    acting = step.acting_id if step.moved else await _delegate(uow, step, kind, policy, now)
    opened = replace(
        step,
        status=StepStatus.pending,
        opened_at=now,
        due_at=due,
        next_nudge_at=first_nudge(now, due, policy),
        acting_id=acting,
    )
    await uow.steps.save(opened)
    return opened


async def _add_steps(
    uow: UnitOfWork, request: ApprovalRequest, plan: list[RouteStep]
) -> list[ApprovalStep]:
    steps = []
    for position, planned in enumerate(plan):
        reason = {
            "kind": planned.reason.kind.value,
            "value": None if planned.reason.value is None else str(planned.reason.value),
            "limit": None if planned.reason.limit is None else str(planned.reason.limit),
        }
        steps.append(
            await uow.steps.add(
                ApprovalStep(
                    id=0,
                    request_id=request.id,
                    round=request.round,
                    position=position,
                    role=planned.role,
                    approver_id=planned.approver_id,
                    reason=reason,
                )
            )
        )
    return steps


async def _start_round(
    uow: UnitOfWork, request: ApprovalRequest, policy: Policy, now: datetime
) -> None:
    people = {p.id: p for p in await uow.people.all()}
    terms = request.terms
    plan = route(
        request.kind,
        requester_id=request.requester_id,
        people=people,
        discount=terms.discount,
        amount=terms.amount,
        policy=policy,
    )
    steps = await _add_steps(uow, request, plan)
    opened = await open_step(uow, steps[0], request.kind, policy, now)
    view = await _view_with_credit(uow, request.id, now, policy)
    await _card(uow, view, opened, now)
    await _status(uow, view, now)


async def _view_with_credit(
    uow: UnitOfWork, request_id: int, now: datetime, policy: Policy
) -> RequestView:
    """The request as its next approver's card shows it: with the customer's credit."""
    view = await load_view(uow, request_id)
    return (await with_credit(uow, {request_id: view}, now, policy))[request_id]


async def _card(uow: UnitOfWork, view: RequestView, step: ApprovalStep, now: datetime) -> None:
    params = card_params(view, step)
    await uow.outbox.add(
        Notification(step.decider_id, "approval_card", params, ref=step_ref(step.id), edit=True),
        now,
    )


async def _card_closed(
    uow: UnitOfWork, view: RequestView, step: ApprovalStep, now: datetime
) -> None:
    """Edit the cards the decider and the approver hold, so the buttons go and the outcome
    shows; an approver who was away all along has none and gets none."""
    params = card_params(view, step)
    for recipient in {step.approver_id, step.decider_id}:
        await uow.outbox.add(
            Notification(
                recipient, "approval_card", params, ref=step_ref(step.id), edit=True, edit_only=True
            ),
            now,
        )


async def _status(uow: UnitOfWork, view: RequestView, now: datetime) -> None:
    await uow.outbox.add(
        Notification(
            view.request.requester_id,
            "request_status",
            request_snapshot(view),
            ref=status_ref(view.request.id),
            edit=True,
        ),
        now,
    )


async def submit(
    uow: UnitOfWork,
    *,
    requester_id: int,
    terms: DealTerms,
    policy: Policy,
    now: datetime,
    cc: Collection[int] = (),
) -> ApprovalRequest:
    await active_person(uow, requester_id)
    check_terms(terms)
    await _owned_customer(uow, requester_id, terms.customer_id)
    request = await file_request(
        uow, kind=KIND, requester_id=requester_id, terms=terms, policy=policy, now=now, cc=cc
    )
    await uow.commit()
    return request


async def file_request(
    uow: UnitOfWork,
    *,
    kind: str,
    requester_id: int,
    terms: DealTerms,
    policy: Policy,
    now: datetime,
    attach: Callable[[ApprovalRequest], Awaitable[None]] | None = None,
    cc: Collection[int] = (),
) -> ApprovalRequest:
    """A request of any kind onto its chain (cards, deadlines, delegation, audit), with the
    colleagues the requester adds to inform (`cc`); the caller has checked what its kind
    needs, and commits."""
    informed = await cc_colleagues(uow, requester_id, cc)
    request = await uow.requests.add(kind=kind, requester_id=requester_id, terms=terms, now=now)
    await uow.requests.add_cc(request.id, informed)
    if attach is not None:
        await attach(request)  # what the cards show with it exists before the first card
    await _start_round(uow, request, policy, now)
    await uow.audit.add(AuditEntry("submitted", requester_id, now, f"request:{request.id}"))
    return request


async def cc_colleagues(uow: UnitOfWork, requester_id: int, cc: Collection[int]) -> set[int]:
    """Whom a requester may add to inform (抄送): up to MAX_CC active colleagues, never
    themselves; anyone else (a forged id, someone deactivated meanwhile) refuses the filing."""
    wanted = set(cc)
    if len(wanted) > MAX_CC or requester_id in wanted:
        raise NotAllowed(action="cc")
    found = {p.id for p in await uow.people.by_ids(wanted) if p.active}
    if found != wanted:
        raise NotAllowed(action="cc")
    return wanted


async def cc_choices(uow: UnitOfWork, requester_id: int) -> list[Person]:
    """Whom the requester may inform (抄送): every active colleague but themselves, by name."""
    people = [p for p in await uow.people.all() if p.active and p.id != requester_id]
    return sorted(people, key=lambda p: p.full_name.casefold())


async def people_named(uow: UnitOfWork, person_ids: Collection[int]) -> list[Person]:
    """Colleagues by id, for a form that shows whom it has chosen."""
    return list(await uow.people.by_ids(set(person_ids)))


def _may_decide(step: ApprovalStep, actor_id: int, delegate_now: int | None) -> bool:
    """The approver always may; a delegate only while their delegation covers now; the
    stand-in of a step that moved away from its approver, for as long as it is theirs. A step
    transferred (转交) is the new decider's alone: the approver handed it over on purpose."""
    if step.moved is Moved.transferred:
        return actor_id == step.acting_id
    deputy = step.acting_id if step.moved else delegate_now
    return actor_id == step.approver_id or (deputy is not None and actor_id == deputy)


async def _already(uow: UnitOfWork, step: ApprovalStep, policy: Policy) -> AlreadyDecided:
    fresh = await uow.steps.get(step.id) or step
    by = await uow.people.get(fresh.decided_by) if fresh.decided_by else None
    at = local(fresh.decided_at, policy) if fresh.decided_at else None
    return AlreadyDecided(by.full_name if by else None, at)


async def ensure_decider(
    uow: UnitOfWork, *, step_id: int, actor_id: int, policy: Policy, now: datetime
) -> ApprovalStep:
    """The step, if the actor may decide it now; otherwise the reason why not."""
    await active_person(uow, actor_id)
    step = await uow.steps.get(step_id)
    if step is None:
        raise NotFound(what="step")
    if step.status is StepStatus.waiting:
        raise NotAllowed(action="decide")  # not this step's turn yet
    if step.status is not StepStatus.pending:
        raise await _already(uow, step, policy)
    request = await uow.requests.get(step.request_id)
    kind = request.kind if request is not None else KIND
    if not _may_decide(step, actor_id, await _delegate(uow, step, kind, policy, now)):
        raise NotAllowed(action="decide")
    return step


async def decide(
    uow: UnitOfWork,
    *,
    step_id: int,
    actor_id: int,
    decision: Decision,
    comment: str | None,
    policy: Policy,
    now: datetime,
) -> RequestView:
    """Only the current approver (or their active delegate) decides, once: the step is claimed
    with a conditional update, so of two taps at the same moment exactly one counts."""
    step = await ensure_decider(uow, step_id=step_id, actor_id=actor_id, policy=policy, now=now)
    if decision.needs_reason and not (comment or "").strip():
        raise ReasonRequired()
    claimed = await uow.steps.claim_decision(
        step_id, status=decision.step_status, actor_id=actor_id, comment=comment, now=now
    )
    if not claimed:
        fresh = await uow.steps.get(step_id)
        if fresh is not None and fresh.status is StepStatus.pending:
            raise NotAllowed(action="decide")  # transferred away meanwhile
        raise await _already(uow, step, policy)
    view = await _after_decision(uow, step, decision, actor_id, policy, now)
    await uow.audit.add(
        AuditEntry(
            decision.value,
            actor_id,
            now,
            f"request:{step.request_id}",
            on_behalf_of=step.approver_id if actor_id != step.approver_id else None,
            comment=comment,
        )
    )
    await uow.commit()
    return view


async def _after_decision(
    uow: UnitOfWork,
    step: ApprovalStep,
    decision: Decision,
    actor_id: int,
    policy: Policy,
    now: datetime,
) -> RequestView:
    request = await uow.requests.get(step.request_id)
    if request is None:
        raise NotFound(what="request")
    waiting = [
        s
        for s in await uow.steps.for_request(request.id)
        if s.round == request.round and s.status is StepStatus.waiting
    ]
    if decision is Decision.approve:
        while waiting:
            opened = await open_step(uow, waiting.pop(0), request.kind, policy, now)
            if opened.decider_id != actor_id:
                view = await _view_with_credit(uow, request.id, now, policy)
                await _card_closed(uow, view, _find(view, step.id), now)
                await _card(uow, view, opened, now)
                await _status(uow, view, now)
                if step.reason.get("kind") == "added" and step.reason.get("value") == "before":
                    await _back(uow, view, opened, actor_id, now)  # 加签: reviewed first
                return view
            await _approve_again(uow, opened, actor_id, now)
    final = {
        Decision.approve: RequestStatus.approved,
        Decision.reject: RequestStatus.rejected,
        Decision.return_for_changes: RequestStatus.returned,
    }[decision]
    view = await _close(uow, request, final, step, waiting, now)
    if final is not RequestStatus.returned:
        await _tell_cc(uow, view, policy, now)
    await settle(uow, view, policy, now)
    return view


async def _approve_again(uow: UnitOfWork, step: ApprovalStep, actor_id: int, now: datetime) -> None:
    """One person, one decision per round (approver de-duplication, as in common approval
    tools): when the next step falls to whoever just approved — say a manager deciding for an
    away supervisor, then at his own level — his approval counts for that step too, instead of
    asking him twice."""
    await uow.steps.claim_decision(
        step.id, status=StepStatus.approved, actor_id=actor_id, comment=None, now=now
    )
    await uow.audit.add(
        AuditEntry(
            Decision.approve.value,
            actor_id,
            now,
            f"request:{step.request_id}",
            comment="counted from the same person's approval of the step before",
        )
    )


async def _back(
    uow: UnitOfWork, view: RequestView, opened: ApprovalStep, reviewer_id: int, now: datetime
) -> None:
    """A step held for an added reviewer (加签 before) opens again: its card turns live in
    place, which Telegram does not announce, so a short message says it is back."""
    params = {**card_params(view, opened), "reviewer": view.names.get(reviewer_id, "—")}
    await uow.outbox.add(Notification(opened.decider_id, "step_back", params), now)


def _find(view: RequestView, step_id: int) -> ApprovalStep:
    return next(s for s in view.steps if s.id == step_id)


async def _close(
    uow: UnitOfWork,
    request: ApprovalRequest,
    status: RequestStatus,
    tapped: ApprovalStep,
    waiting: list[ApprovalStep],
    now: datetime,
) -> RequestView:
    for step in waiting:
        await uow.steps.save(replace(step, status=StepStatus.cancelled))
    await uow.requests.save(replace(request, status=status, closed_at=now))
    view = await load_view(uow, request.id)
    decided = [s for s in view.current_round() if s.decided_by is not None]
    await _card_closed(uow, view, _find(view, tapped.id), now)
    for held in _held(view.current_round()):
        await _card_closed(uow, view, held, now)
    await _status(uow, view, now)
    snapshot = request_snapshot(view)
    template = CLOSED_TEMPLATE.get(status)
    if template:
        await uow.outbox.add(Notification(request.requester_id, template, snapshot), now)
    if status is not RequestStatus.returned:
        # Seed: the decision comes back down the chain to those who reviewed it.
        last = {decided[-1].decider_id} if decided else set()
        reviewed = {s.decider_id for s in decided} | _adders(view.current_round())
        for earlier in reviewed - {request.requester_id} - last:
            await uow.outbox.add(Notification(earlier, "request_settled", snapshot), now)
    return view


def _held(steps: list[ApprovalStep]) -> list[ApprovalStep]:
    """Steps closed while held for an added reviewer (加签 before): their decider's card
    still says the request comes back to them, so it is edited to say how it ended."""
    return [
        later
        for earlier, later in pairwise(steps)
        if earlier.reason.get("kind") == "added"
        and earlier.reason.get("value") == "before"
        and later.status is StepStatus.cancelled
    ]


def _adders(steps: list[ApprovalStep]) -> set[int]:
    """Who asked for an added reviewer (加签) this round: their own step may have been held
    and then closed undecided, so they hear the outcome as a reviewer does."""
    return {int(s.reason["by"] or 0) for s in steps if s.reason.get("kind") == "added"} - {0}


async def _tell_cc(uow: UnitOfWork, view: RequestView, policy: Policy, now: datetime) -> None:
    """抄送: whom the kind's `cc` names or the requester added hear the outcome once; a
    decider already heard it, and a colleague deactivated since hears nothing."""
    rule = policy.approval.get(view.request.kind)
    if not view.cc and (rule is None or not rule.cc):
        return
    told = {i for s in view.current_round() if s.decided_by for i in (s.approver_id, s.decider_id)}
    people = await uow.people.all()
    codes = rule.cc if rule else ()
    added = {p.id for p in people if p.active and p.id in view.cc}
    recipients = (cc_ids(codes, view.request.requester_id, people) | added) - told
    if not recipients:
        return
    snapshot = request_snapshot(view)
    await uow.outbox.add_many(
        [Notification(person_id, "request_cc", snapshot) for person_id in sorted(recipients)], now
    )


async def _own(uow: UnitOfWork, requester_id: int, request_id: int) -> ApprovalRequest:
    """Only the requester withdraws, edits or resubmits a request, or finds it in /my;
    anyone else's id is NotFound, not a leak."""
    request = await uow.requests.get(request_id)
    if request is None or request.requester_id != requester_id:
        raise NotFound(what="request")
    return request


async def withdraw(
    uow: UnitOfWork, *, request_id: int, actor_id: int, now: datetime
) -> RequestView:
    request = await _own(uow, actor_id, request_id)
    if request.status is not RequestStatus.pending:
        raise NotAllowed(action="withdraw")
    steps = [s for s in await uow.steps.for_request(request_id) if s.round == request.round]
    for step in steps:
        if step.status in (StepStatus.pending, StepStatus.waiting):
            await uow.steps.save(replace(step, status=StepStatus.cancelled, next_nudge_at=None))
    await uow.requests.save(replace(request, status=RequestStatus.withdrawn, closed_at=now))
    view = await load_view(uow, request_id)
    for step in steps:
        if step.status is StepStatus.pending:
            await _card_closed(uow, view, _find(view, step.id), now)
    for held in _held(view.current_round()):
        await _card_closed(uow, view, held, now)
    await _status(uow, view, now)
    await settle_ended(uow, view, now)
    await uow.audit.add(AuditEntry("withdrawn", actor_id, now, f"request:{request_id}"))
    await uow.commit()
    return view


async def resubmit(
    uow: UnitOfWork,
    *,
    request_id: int,
    actor_id: int,
    terms: DealTerms,
    policy: Policy,
    now: datetime,
) -> ApprovalRequest:
    """A returned request comes back edited as a new round; earlier rounds stay in its history."""
    request = await _own(uow, actor_id, request_id)
    if request.status is not RequestStatus.returned or request.kind != KIND:
        raise NotAllowed(action="resubmit")  # a returned contract application is filed anew
    check_terms(terms)
    await _owned_customer(uow, actor_id, terms.customer_id)
    again = replace(
        request,
        terms=terms,
        previous_terms=request.terms,
        status=RequestStatus.pending,
        round=request.round + 1,
        closed_at=None,
    )
    await uow.requests.save(again)
    await _start_round(uow, again, policy, now)
    await uow.audit.add(AuditEntry("resubmitted", actor_id, now, f"request:{request_id}"))
    await uow.commit()
    return again


# --- what the requester and the approvers read ----------------------------------------------


async def my_requests(uow: UnitOfWork, actor_id: int) -> list[RequestView]:
    """The actor's own requests, newest first: four queries however many there are."""
    actor = await active_person(uow, actor_id)
    ids = [r.id for r in await uow.requests.by_requester(actor.id)]
    views = await load_views(uow, ids)
    return [views[request_id] for request_id in ids]


async def own_request(uow: UnitOfWork, actor_id: int, request_id: int) -> RequestView:
    """One of the actor's own requests, to follow it in /my or edit it for a resubmission."""
    actor = await active_person(uow, actor_id)
    request = await _own(uow, actor.id, request_id)
    return await load_view(uow, request.id)


async def last_product(uow: UnitOfWork, actor_id: int, customer_id: int) -> str | None:
    """What the actor last asked special terms for with this customer: the likely answer."""
    for request in await uow.requests.for_customer(customer_id, limit=10):
        if request.requester_id == actor_id:
            return request.terms.product
    return None


async def approver_queue(uow: UnitOfWork, actor_id: int) -> list[tuple[ApprovalStep, RequestView]]:
    """The steps waiting for the actor's decision (as approver or deputy), overdue first."""
    actor = await active_person(uow, actor_id)
    return [
        (step, await load_view(uow, step.request_id)) for step in await uow.steps.open_for(actor.id)
    ]


async def step_view(
    uow: UnitOfWork, *, actor_id: int, step_id: int, now: datetime
) -> tuple[ApprovalStep, RequestView]:
    """A step with its request, for whoever may read the request (`sees_request`), decided
    the step, or decides it now as the approver's delegate: a delegation that began a moment
    ago is not on the step yet, but its delegate already decides (`ensure_decider`)."""
    actor = await active_person(uow, actor_id)
    step = await uow.steps.get(step_id)
    if step is None:
        raise NotAllowed(action="decide")
    view = await load_view(uow, step.request_id)
    if actor.id == step.decided_by or sees_request(actor, view, await uow.people.all()):
        return step, view
    delegate = None if step.moved else await _active_delegate(uow, step.approver_id, now)
    if delegate is not None and delegate.id == actor.id:
        return step, view
    raise NotAllowed(action="decide")
