"""Every display label of the domain's codes, marked for translation: roles, weekdays,
languages, the pick lists (a company's own entries from the policy file are shown as
written), customer statuses, visit kinds and intents, and the fields of a deal request."""

from __future__ import annotations

from datetime import date, datetime

from aiogram.utils.i18n import gettext as _

from bot.core.roles import Role
from bot.i18n import N_

ROLE_LABELS: dict[Role, str] = {
    Role.rep: N_("Sales rep"),
    Role.supervisor: N_("Sales supervisor"),
    Role.sales_manager: N_("Sales manager"),
    Role.marketing_vp: N_("Marketing VP"),
    Role.general_manager: N_("General manager"),
    Role.sales_desk: N_("Sales desk"),
    Role.accountant: N_("Accountant"),
    Role.finance_vp: N_("Finance VP"),
    Role.customer_service: N_("Customer service"),
    Role.admin: N_("Administrator"),
}

LANGUAGE_LABELS = {"en": "English", "zh": "简体中文"}

WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def deal_field_label(field: str) -> str:
    """A field of a deal request ("customer_id" and "customer" alike), in the reader's language."""
    key = field.removesuffix("_id")
    return _(DEAL_FIELD_LABELS[key]) if key in DEAL_FIELD_LABELS else field


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS[Role(role)])


def weekday_label(weekday: int) -> str:
    """Monday = 0, in the reader's language ("Fri", "周五")."""
    return _(WEEKDAY_NAMES[weekday])


def day_label(day: date | datetime, clock: bool = False) -> str:
    """A day as the reader says it, "Fri 11-27" / "周五 11-27"; with `clock`, "Fri 11-27 14:05"
    (a datetime already in the company's zone)."""
    text = f"{weekday_label(day.weekday())} {day:%m-%d}"
    return f"{text} {day:%H:%M}" if clock else text


# The fields of a deal request, in the form's order.
DEAL_FIELD_LABELS: dict[str, str] = {
    "customer": N_("Customer"),
    "product": N_("Product"),
    "quantity": N_("Quantity"),
    "amount": N_("Amount"),
    "discount": N_("Discount"),
    "payment_terms": N_("Payment terms"),
    "deposit": N_("Deposit"),
    "note": N_("Note"),
}


# The fields of a customer's record, as the register form names them.
CUSTOMER_FIELD_LABELS: dict[str, str] = {
    "name": N_("Company"),
    "phone": N_("Phone"),
    "contact": N_("Contact person"),
    "address": N_("Address"),
    "industry": N_("Industry"),
    "size": N_("Size"),
    "region": N_("Region"),
    "source": N_("Source"),
    "shop": N_("Online shop"),
    "note": N_("Note"),
}


# The fields of a visit, as the visit form names them.
VISIT_FIELD_LABELS: dict[str, str] = {
    "kind": N_("Kind"),
    "date": N_("Date"),
    "outcome": N_("Outcome"),
    "intent": N_("Intent"),
    "next_step": N_("Next step"),
    "follow_up": N_("Follow-up"),
    "location": N_("Location"),
    "photos": N_("Photos"),
}


# The built-in pick lists and the customer's statuses, visits and intents.
OTHER = "__other"

LABELS: dict[str, str] = {
    "manufacturing": N_("Manufacturing"),
    "wholesale": N_("Wholesale"),
    "retail": N_("Retail"),
    "construction": N_("Construction"),
    "food": N_("Food and drink"),
    "electronics": N_("Electronics"),
    "services": N_("Services"),
    "micro": N_("Micro (under 10 people)"),
    "small": N_("Small (10–99)"),
    "medium": N_("Medium (100–999)"),
    "large": N_("Large (1000+)"),
    "north": N_("North China"),
    "east": N_("East China"),
    "south": N_("South China"),
    "central": N_("Central China"),
    "west": N_("West China"),  # the default before the seed's seven; kept for stored values
    "northeast": N_("Northeast China"),
    "northwest": N_("Northwest China"),
    "southwest": N_("Southwest China"),
    "visit": N_("Our visit"),
    "referral": N_("Referral"),
    "phone": N_("Phone enquiry"),
    "exhibition": N_("Exhibition"),
    "online": N_("Online"),
    "walk_in": N_("Walked in"),
}

STATUS_LABELS: dict[str, str] = {
    "prospect": N_("Prospect"),
    "qualified": N_("Qualified lead"),
    "won": N_("Won"),
    "handed_over": N_("Handed over"),
    "lost": N_("Not won"),
}

# A deal's stages (bot/core/orders.py), as the ledger and the deal's card name them.
DEAL_STAGE_LABELS: dict[str, str] = {
    "negotiating": N_("Agreed, reservation to sign"),
    "reserved": N_("Reserved, deposit expected"),
    "deposit_paid": N_("Deposit paid"),
    "contracted": N_("Contract signed"),
    "delivered": N_("Delivered"),
    "paid": N_("Paid in full"),
    "closed": N_("Closed"),
    "lost": N_("Lost"),
}

KIND_LABELS: dict[str, str] = {
    "first": N_("First visit"),
    "revisit": N_("Revisit"),
    "reception": N_("Reception at the office"),
    "call": N_("Phone call"),
}

INTENT_LABELS: dict[str, str] = {
    "none": N_("No intent"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
}


def pick_label(code: str | None) -> str:
    if not code:
        return "—"
    return _(LABELS[code]) if code in LABELS else code


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


PAYMENT_METHOD_LABELS: dict[str, str] = {
    "bank_transfer": N_("Bank transfer"),
    "cash": N_("Cash"),
    "cheque": N_("Cheque"),
    "acceptance_bill": N_("Acceptance bill"),
    "other": N_("Other"),
}


def payment_method_label(code: str) -> str:
    return _(PAYMENT_METHOD_LABELS.get(code, code))


def deal_stage_label(code: str) -> str:
    return _(DEAL_STAGE_LABELS.get(code, code))


def kind_label(code: str) -> str:
    return _(KIND_LABELS.get(code, code))


def intent_label(code: str) -> str:
    return _(INTENT_LABELS.get(code, code))


# The contract ledger (合同台帐): a contract's status, its delivery notes and work orders, and
# where each part of its payment schedule stands (bot/core/payments.py Mark).
CONTRACT_STATUS_LABELS: dict[str, str] = {
    "applied": N_("Applied, in approval"),
    "returned": N_("Returned for changes"),
    "refused": N_("Refused"),
    "withdrawn": N_("Withdrawn"),
    "awaiting_cosign": N_("Signed, awaiting finance's co-signature"),
    "in_force": N_("In force"),
    "closed": N_("Closed"),
}

DELIVERY_STATUS_LABELS: dict[str, str] = {
    "filed": N_("filed"),
    "signed": N_("signed"),
    "shipped": N_("shipped"),
    "copy_received": N_("signed copy back"),
    "booked": N_("booked"),
    "cancelled": N_("cancelled"),
}

WORK_ORDER_STATUS_LABELS: dict[str, str] = {
    "filed": N_("filed"),
    "signed": N_("signed"),
    "assigned": N_("assigned"),
    "accepted": N_("accepted"),
}

SCHEDULE_MARK_LABELS: dict[str, str] = {
    "paid": N_("paid"),
    "part_paid": N_("part paid"),
    "overdue": N_("overdue"),
    "open": N_("not yet due"),
}


CREDIT_STANDING_LABELS: dict[str, str] = {
    "good": N_("good"),
    "watch": N_("watch"),
    "hold": N_("on hold"),
}


def credit_standing_label(code: str) -> str:
    return _(CREDIT_STANDING_LABELS.get(code, code))


def contract_status_label(code: str) -> str:
    return _(CONTRACT_STATUS_LABELS.get(code, code))


def delivery_status_label(code: str) -> str:
    return _(DELIVERY_STATUS_LABELS.get(code, code))


def work_order_status_label(code: str) -> str:
    return _(WORK_ORDER_STATUS_LABELS.get(code, code))


def schedule_mark_label(code: str) -> str:
    return _(SCHEDULE_MARK_LABELS.get(code, code))


LEDGER_LINE_LABELS = {
    "contracts_signed": N_("Contracts signed"),
    "signed_amount": N_("Amount signed"),
    "delivered": N_("Deliveries booked"),
    "deposits": N_("Deposits received"),
    "collected": N_("Payments collected"),
    "outstanding": N_("Outstanding at month end"),
    "overdue": N_("Overdue at month end"),
}


def ledger_line_label(code: str) -> str:
    return _(LEDGER_LINE_LABELS.get(code, code))


GRADE_LABELS: dict[str, str] = {
    "excellent": N_("Excellent"),
    "good": N_("Good"),
    "average": N_("Average"),
    "below": N_("Below target"),
}


def grade_label(code: str) -> str:
    return _(GRADE_LABELS.get(code, code))
