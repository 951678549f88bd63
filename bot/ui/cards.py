"""The buttons on notifications. The callback data carries only a record id and an action code;
who may act is checked on the server for every tap.

Every field is a bounded record id or an enum code, so a forged payload (a 59-digit number, 0,
letters, an unknown code) fails to parse: the tap matches no handler and gets the same polite
refusal as a stale button, before anything reaches a use case or the database."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from bot.core.approvals import Decision
from bot.core.models import MAX_ID, OutboxItem
from bot.labels import grade_label
from bot.ui.fit import BUTTON_TEXT_MAX, clip

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Act(StrEnum):
    approve = "a"
    opinion = "o"  # approve, signing an opinion (签署意见) typed next
    reject = "r"
    back = "c"
    transfer = "t"  # 转交: hand the step to someone else allowed to decide it
    add = "p"  # 加签: ask a colleague to review before or after the decider

    @property
    def decision(self) -> Decision:
        return {
            Act.approve: Decision.approve,
            Act.opinion: Decision.approve,
            Act.reject: Decision.reject,
            Act.back: Decision.return_for_changes,
        }[self]

    @property
    def asks_text(self) -> bool:
        """Everything but a one-tap approval asks for a text first: an opinion or a reason."""
        return self is not Act.approve


class ApprovalCb(CallbackData, prefix="ap"):
    step: RecordId
    act: Act


def decision_keyboard(step_id: int, customer_id: int | None = None) -> InlineKeyboardMarkup:
    """The four decisions; and the customer's card (visits, requests) one tap away, so an
    approver can look before deciding."""

    def button(text: str, act: Act) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=ApprovalCb(step=step_id, act=act).pack()
        )

    rows = [
        [button(_("✅ Approve"), Act.approve), button(_("✍️ Approve with opinion"), Act.opinion)],
        [button(_("❌ Reject"), Act.reject), button(_("↩️ Return for changes"), Act.back)],
        [button(_("🔀 Transfer"), Act.transfer), button(_("➕ Add approver"), Act.add)],
    ]
    if customer_id is not None:
        look = CustomerCb(customer=customer_id).pack()
        rows.append([InlineKeyboardButton(text=_("📇 Customer and visits"), callback_data=look)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


class RequestCb(CallbackData, prefix="rq"):
    """A request opened read-only (a CC'd colleague's outcome message)."""

    request: RecordId


def request_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    look = RequestCb(request=int(item.params["request_id"])).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("📄 Open the request"), callback_data=look)]]
    )


def card_keyboard(item: OutboxItem) -> InlineKeyboardMarkup | None:
    step = item.params.get("step", {})
    if step.get("status") != "pending" or item.params.get("status") != "pending":
        return None
    if item.params.get("handed_over"):  # transferred away: the card only says to whom
        return None
    customer = item.params.get("customer_id")
    return decision_keyboard(int(step["id"]), int(customer) if customer else None)


class VisitCb(CallbackData, prefix="fv"):
    customer: RecordId


class CustomerCb(CallbackData, prefix="cu"):
    customer: RecordId


def follow_ups_keyboard(item: OutboxItem) -> InlineKeyboardMarkup | None:
    """One button per customer: a tap starts /visit for that customer."""
    rows = [
        [
            InlineKeyboardButton(
                text=("⚠️ " if entry.get("overdue") else "📝 ") + str(entry["name"])[:40],
                callback_data=VisitCb(customer=int(entry["customer_id"])).pack(),
            )
        ]
        for entry in item.params.get("items", [])[:20]
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def open_customer_keyboard(item: OutboxItem) -> InlineKeyboardMarkup | None:
    if "customer_id" not in item.params:  # a handover queued before it carried the id
        return None
    button = InlineKeyboardButton(
        text=_("Open the customer"),
        callback_data=CustomerCb(customer=int(item.params["customer_id"])).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def prospects_keyboard(item: OutboxItem) -> InlineKeyboardMarkup | None:
    """One button per prospect listed on the keeper's message, each opening its card."""
    rows = [
        [
            InlineKeyboardButton(
                text=f"🌱 {clip(str(p['name']), BUTTON_TEXT_MAX)}",
                callback_data=CustomerCb(customer=int(p["customer_id"])).pack(),
            )
        ]
        for p in item.params.get("waiting", [])
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


class PlanAct(StrEnum):
    approve = "a"
    comment = "c"
    back = "r"

    @property
    def review_action(self) -> str:
        return {PlanAct.approve: "approve", PlanAct.comment: "comment", PlanAct.back: "return"}[
            self
        ]


class PlanCb(CallbackData, prefix="pl"):
    plan: RecordId
    act: PlanAct


class TargetCb(CallbackData, prefix="tg"):
    target: RecordId


def plan_keyboard(item: OutboxItem) -> InlineKeyboardMarkup | None:
    if item.params.get("status") != "submitted":
        return None
    plan_id = int(item.params["plan_id"])

    def button(text: str, act: PlanAct) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=PlanCb(plan=plan_id, act=act).pack())

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(_("✅ Approve"), PlanAct.approve),
                button(_("💬 Comment"), PlanAct.comment),
                button(_("↩️ Return"), PlanAct.back),
            ]
        ]
    )


def target_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=_("✅ Received"), callback_data=TargetCb(target=int(item.params["target_id"])).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


class ReviewAct(StrEnum):
    comment = "c"  # the rep: add or change their comment
    accept = "a"  # the manager: the suggested grade, in one tap
    other = "o"  # the manager: another grade, with a reason


class ReviewCb(CallbackData, prefix="rv"):
    review: RecordId
    act: ReviewAct


def _review_button(text: str, review_id: int, act: ReviewAct) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReviewCb(review=review_id, act=act).pack())


def review_comment_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    review_id = int(item.params["review_id"])
    return InlineKeyboardMarkup(
        inline_keyboard=[[_review_button(_("💬 Add a comment"), review_id, ReviewAct.comment)]]
    )


def review_grade_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    review_id = int(item.params["review_id"])
    accept = _("✅ Grade: %(grade)s") % {"grade": grade_label(str(item.params["suggested"]))}
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_review_button(accept, review_id, ReviewAct.accept)],
            [_review_button(_("✏️ Another grade"), review_id, ReviewAct.other)],
        ]
    )


class DealAct(StrEnum):
    deposit = "d"  # the accountant records the deposit that came in


class DealCb(CallbackData, prefix="dl"):
    deal: RecordId
    act: DealAct


def deposit_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=_("🧾 Record the deposit"),
        callback_data=DealCb(deal=int(item.params["deal_id"]), act=DealAct.deposit).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


class ContractAct(StrEnum):
    cosign = "s"  # finance co-signs (会签)


class ContractCb(CallbackData, prefix="ct"):
    contract: RecordId
    act: ContractAct


def cosign_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=_("✍️ Co-sign"),
        callback_data=ContractCb(
            contract=int(item.params["contract_id"]), act=ContractAct.cosign
        ).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


class WorkOrderAct(StrEnum):
    sign = "s"  # the sales manager signs the work order
    open = "o"  # its screen: assign, the acceptance report, the printout


class WorkOrderCb(CallbackData, prefix="wo"):
    order: RecordId
    act: WorkOrderAct


def _work_order_button(order_id: int, text: str, act: WorkOrderAct) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=WorkOrderCb(order=order_id, act=act).pack()
    )


def work_order_sign_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    """Sign while it waits for the signature; afterwards the card keeps its way to the order."""
    order_id = int(item.params["order_id"])
    row = [_work_order_button(order_id, _("📄 Open the work order"), WorkOrderAct.open)]
    if item.params.get("status") == "filed":
        row.insert(0, _work_order_button(order_id, _("✍️ Sign"), WorkOrderAct.sign))
    return InlineKeyboardMarkup(inline_keyboard=[row])


def work_order_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    button = _work_order_button(
        int(item.params["order_id"]), _("📄 Open the work order"), WorkOrderAct.open
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


class ProductionAct(StrEnum):
    sign = "s"  # the VP signs the production notice
    open = "o"  # the contract's delivery screen


class ProductionCb(CallbackData, prefix="pn"):
    contract: RecordId
    act: ProductionAct


class NoteAct(StrEnum):
    sign = "s"  # the sales manager signs the delivery note
    open = "o"  # the note's screen


class NoteCb(CallbackData, prefix="dn"):
    note: RecordId
    act: NoteAct


def _production_button(text: str, contract_id: int, act: ProductionAct) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=ProductionCb(contract=contract_id, act=act).pack()
    )


def _note_button(text: str, note_id: int, act: NoteAct) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=NoteCb(note=note_id, act=act).pack())


def production_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    contract_id = int(item.params["contract_id"])
    sign = _production_button(_("✍️ Sign the production notice"), contract_id, ProductionAct.sign)
    look = _production_button(_("📦 Open the contract"), contract_id, ProductionAct.open)
    return InlineKeyboardMarkup(inline_keyboard=[[sign], [look]])


def contract_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    look = _production_button(
        _("📦 Open the contract"), int(item.params["contract_id"]), ProductionAct.open
    )
    return InlineKeyboardMarkup(inline_keyboard=[[look]])


def note_sign_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    note_id = int(item.params["note_id"])
    sign = _note_button(_("✍️ Sign the delivery note"), note_id, NoteAct.sign)
    look = _note_button(_("🚚 Open the note"), note_id, NoteAct.open)
    return InlineKeyboardMarkup(inline_keyboard=[[sign], [look]])


def note_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    look = _note_button(_("🚚 Open the note"), int(item.params["note_id"]), NoteAct.open)
    return InlineKeyboardMarkup(inline_keyboard=[[look]])


class MeetingAct(StrEnum):
    pdf = "p"  # the full pack, printable
    topic = "t"  # the training topic for the coming meeting


# A week as its Monday's day number (date.toordinal), bounded to the calendar.
WeekNo = Annotated[int, Field(ge=1, le=date.max.toordinal())]


class MeetingCb(CallbackData, prefix="mt"):
    act: MeetingAct
    week: WeekNo


def meeting_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    week = date.fromisoformat(str(item.params["week"])).toordinal()

    def button(text: str, act: MeetingAct) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=MeetingCb(act=act, week=week).pack())

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(_("📄 Full pack (PDF)"), MeetingAct.pdf)],
            [button(_("🎓 Training topic"), MeetingAct.topic)],
        ]
    )
