"""Sentences for the domain's error codes, in the person's language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.core.approvals import UrgeTooSoon
from bot.core.contracts import ContractNotInForce, ContractStatus, ContractStatusOrder
from bot.core.errors import (
    AlreadyDecided,
    CustomerTaken,
    DomainError,
    InvalidChange,
    InviteInvalid,
)
from bot.core.orders import DealStage, StageOrder
from bot.core.payments import FirstPaymentMissing, OverPayment
from bot.core.pool import PoolRefused
from bot.core.reports import PeriodRefused
from bot.core.work_orders import WorkOrderStatus, WorkOrderStatusOrder
from bot.labels import day_label
from bot.rendering import money
from bot.ui.delivery_errors import DELIVERY_ERRORS, delivery_sentence
from bot.ui.invoice_errors import INVOICE_ERRORS, invoice_sentence
from bot.ui.report_view import period_refused


def stale_button() -> str:
    """The one answer to a tap that cannot be acted on: an old, unknown or forged button."""
    return _("This button is no longer active.")


def stage_order(error: StageOrder) -> str:
    """What must happen before a deal can take the step it was asked to take."""
    if error.over:
        return _("This deal is over (closed or lost); nothing more can be recorded on it.")
    if error.needs is None:
        return _("This deal is already past that step.")
    return {
        DealStage.reserved: _("First the customer signs the reservation."),
        DealStage.deposit_paid: _("First the accountant records the deposit and its receipt."),
        DealStage.contracted: _("First the contract is signed and co-signed by finance."),
        DealStage.delivered: _("First the goods are delivered and the signed copy is recorded."),
        DealStage.paid: _("First the contract is paid in full."),
        DealStage.closed: _("First everything is delivered and paid."),
    }.get(error.needs, _("That step does not come next for this deal."))


def contract_order(error: ContractStatusOrder) -> str:
    """What must happen before a contract can take the step it was asked to take."""
    if error.over:
        return _("This contract is refused, withdrawn or closed; nothing more can be done on it.")
    sentences: dict[str, str] = {
        ContractStatus.awaiting_cosign: _(
            "First the sales manager and the general manager approve the application."
        ),
        ContractStatus.in_force: _("First finance co-signs the contract."),
        ContractStatus.applied: _("First the application is filed again."),
    }
    needs = error.needs.value if error.needs else ""
    return sentences.get(needs, _("This contract is already past that step."))


def first_payment_missing(error: FirstPaymentMissing, currency: str) -> str:
    """Seed rule 10 in one sentence, with the amounts: what is due first, what came in."""
    facts = {
        "number": error.number or "—",
        "received": money(error.received, currency),
        "first": money(error.first_amount or 0, currency),
        "due": day_label(error.first_due) if error.first_due else "—",
    }
    if error.first_amount is None:
        return (
            _(
                "No follow-on work before the customer's first payment: contract %(number)s has "
                "received nothing against it yet (the deposit of %(received)s does not count)."
            )
            % facts
        )
    return (
        _(
            "No follow-on work before the customer's first payment: contract %(number)s has "
            "received nothing yet against its first instalment of %(first)s due %(due)s (the "
            "deposit of %(received)s does not count)."
        )
        % facts
    )


def over_payment(error: OverPayment, currency: str) -> str:
    return _(
        "That would pass the contract amount of %(amount)s: %(collected)s is collected, so "
        "at most %(room)s more can be recorded, not %(asked)s."
    ) % {
        "amount": money(error.amount, currency),
        "collected": money(error.collected, currency),
        "room": money(error.room, currency),
        "asked": money(error.asked, currency),
    }


def work_order_status(error: WorkOrderStatusOrder) -> str:
    if error.over:
        return _("This work order is closed by its acceptance report.")
    if error.needs is WorkOrderStatus.signed:
        return _("First the sales manager signs the work order.")
    if error.needs is WorkOrderStatus.assigned:
        return _("First customer service is assigned to the work order.")
    return _("This work order has already moved past that step.")


def pool_refused(error: PoolRefused) -> str:
    """Why a claim from the customer pool is refused, with the limit or the day it ends."""
    if error.reason == "reclaim_block" and error.until is not None:
        return _("This customer left your hands recently: you may claim it again from %(day)s.") % {
            "day": day_label(error.until)
        }
    sentences = {
        "claims_per_day": _("You have claimed %(limit)s customers today, the daily limit."),
        "max_open": _("That would pass the limit of %(limit)s open customers one person holds."),
        "gone": _("Someone else took this customer from the pool first."),
        "pool_off": _("The customer pool is switched off in the company's policy."),
    }
    return sentences.get(error.reason, _("That did not work. Nothing was changed.")) % {
        "limit": error.limit
    }


def explain(error: DomainError, currency: str = "CNY") -> str:
    if isinstance(error, PoolRefused):
        return pool_refused(error)
    if isinstance(error, PeriodRefused):
        return period_refused(error)
    if isinstance(error, StageOrder):
        return stage_order(error)
    if isinstance(error, ContractStatusOrder):
        return contract_order(error)
    if isinstance(error, FirstPaymentMissing):
        return first_payment_missing(error, currency)
    if isinstance(error, OverPayment):
        return over_payment(error, currency)
    if isinstance(error, WorkOrderStatusOrder):
        return work_order_status(error)
    if isinstance(error, ContractNotInForce):
        return _("Contract %(number)s is not in force; nothing can be recorded against it.") % {
            "number": error.number or "—"
        }
    if isinstance(error, INVOICE_ERRORS):
        return invoice_sentence(error, currency)
    if isinstance(error, DELIVERY_ERRORS):
        return delivery_sentence(error)
    if isinstance(error, AlreadyDecided):
        if error.by and error.at:
            at = day_label(error.at, clock=True)
            return _("Already decided by %(name)s at %(at)s.") % {"name": error.by, "at": at}
        return _("This request is closed; nothing is left to decide.")
    if isinstance(error, UrgeTooSoon):
        return _("You urged this step a short while ago; you can urge again from %(at)s.") % {
            "at": day_label(error.again_at, clock=True)
        }
    if isinstance(error, CustomerTaken):
        return _(
            "“%(name)s” is already registered by %(owner)s. Please talk to them or your "
            "supervisor before working with this customer."
        ) % {"name": error.name, "owner": error.owner}
    if isinstance(error, InviteInvalid):
        return {
            "used": _("This invite link has already been used. Please ask for a new one."),
            "expired": _("This invite link has expired. Please ask for a new one."),
        }.get(
            error.reason, _("This invite link is not valid. Please check it or ask for a new one.")
        )
    if isinstance(error, InvalidChange):
        return {
            "cycle": _("That would make a loop: nobody can report to someone in their own team."),
            "self": _("You cannot do that to yourself."),
            "last_admin": _("The team needs at least one active administrator."),
            "not_a_manager": _(
                "Only someone in a managing role can have people reporting to them."
            ),
            "window": _("The away period must end after it starts, and not in the past."),
            "already_confirmed": _("This was already confirmed."),
            "already_graded": _("This review is already graded."),
            "grade_reason": _("Please give a reason: this grade differs from the suggested one."),
            "not_a_prospect": _("This customer is no longer a prospect waiting for you."),
            "status": _("The customer's status has changed meanwhile. Please open it again."),
            "not_won": _("Only a won customer can be handed over."),
            "not_approved": _("Only approved special terms can be won on."),
            "deal_recorded": _("A deal was already recorded on this request."),
            "application_filed": _(
                "This deal already has a contract application under way, or its contract."
            ),
            "not_confirmed": _(
                "The supervisor confirms a prospect before it can be marked as won."
            ),
            "target_amounts": _(
                "The sales target must be above zero and the collection target not negative."
            ),
            "reason_required": _("Please write a few words for the rep: what to change, or why."),
            "target_month": _("Targets are set for this month or the next one."),
            "empty_plan": _("Add a visit or a goal before you submit the plan."),
            "already_submitted": _("This plan is already submitted."),
            "not_submitted": _("This plan is not waiting for a review."),
            "day_outside_week": _("Please pick a day of the planned week."),
            "too_many_items": _("A weekly plan holds at most 60 visits."),
            "too_long": _("That text is too long. Please shorten it."),
            "too_many_added": _(
                "This request already has three added reviewers in this round: decide it, "
                "or transfer it."
            ),
        }.get(error.reason, _("That change is not possible."))
    if error.code == "not_allowed" and error.details.get("action") == "decide":
        return _("This request is not waiting for your decision.")
    if error.code == "not_allowed" and error.details.get("action") == "add_approver":
        return _(
            "That person cannot be asked: choose an active colleague who reviews requests and "
            "is not already on this one."
        )
    if error.code == "not_allowed" and error.details.get("action") == "transfer_to":
        return _("That person cannot decide this step.")
    if error.code == "not_allowed" and error.details.get("action") == "cc":
        return _("You can inform up to five active colleagues, not yourself. Please choose again.")
    if error.code == "not_allowed" and error.details.get("action") == "urge":
        return _("This request is not waiting for anyone's decision: there is nobody to urge.")
    if error.code == "not_allowed" and error.details.get("action") == "check_commission":
        return _("This commission sheet is not waiting for your check.")
    if error.code == "not_allowed" and error.details.get("action") == "delegate_to":
        return _(
            "That person cannot decide your approvals: choose someone in your role "
            "or above it in your approval chain."
        )
    return {
        "not_allowed": _("Sorry, your role does not allow that."),
        "not_found": _("I could not find that. It may have been changed or removed."),
        "already_member": _("You are already on the team. Send /help to see what you can do."),
        "deactivated": _("Your access has been switched off. Please ask your administrator."),
        "reason_required": _("Please give a reason, so the requester knows what to do."),
        "no_signer": _(
            "Nobody above the rep is an active sales manager to sign the work order. "
            "Please ask your administrator."
        ),
        "no_approver": _(
            "Nobody above you can approve this. Please ask your administrator to set your manager."
        ),
        "commission_sheet_moved": _(
            "This commission sheet has moved on meanwhile (checked, returned or paid)."
        ),
        "commission_sheet_filed": _(
            "This rep's sheet for that month is already filed; it must be returned before "
            "another one is filed."
        ),
        "reconciliation_confirmed": _("Your side of this month's ledger is already confirmed."),
        "reconciliation_not_due": _(
            "This is not the month to reconcile now: open /pending for the one that waits."
        ),
        "commission_nothing": _(
            "Nothing was collected on this rep's contracts that month and nothing is "
            "deducted: there is no sheet to file."
        ),
        "commission_month_open": _("A month's commission sheet is filed once the month is over."),
    }.get(error.code, _("That did not work. Nothing was changed."))
