from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import DecimalType, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    reports_to: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    unreachable: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime | None]


class InviteRow(Base):
    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    reports_to: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None]
    name: Mapped[str | None] = mapped_column(String(64))


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    template: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]]
    ref: Mapped[str | None] = mapped_column(String(96), index=True)
    edit: Mapped[bool] = mapped_column(default=False)
    edit_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    on_behalf_of: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(String(96), index=True)
    comment: Mapped[str | None] = mapped_column(Text)


class FsmRow(Base):
    """aiogram FSM state and data; `destiny` keeps aiogram-dialog's stacks and contexts apart."""

    __tablename__ = "fsm_storage"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    thread_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    business_connection_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    destiny: Mapped[str] = mapped_column(String(96), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (
        # The pool sweep: owned (pooled_at NULL), poolable status, taken before a day.
        Index("ix_customers_idle", "status", "pooled_at", "taken_at"),
        # /report: customers registered or confirmed in a period
        Index("ix_customers_created_at", "created_at"),
        Index("ix_customers_confirmed_at", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    name_key: Mapped[str] = mapped_column(String(100), index=True, server_default="")
    contact_name: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    industry: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(40))
    shop_url: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(500))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[datetime | None]
    next_follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    taken_at: Mapped[datetime]
    pooled_at: Mapped[datetime | None] = mapped_column(index=True)
    pool_warned_for: Mapped[date | None] = mapped_column(Date)


class CustomerEventRow(Base):
    __tablename__ = "customer_events"
    # A rep's claims from the pool today (the daily limit).
    __table_args__ = (Index("ix_customer_events_actor", "actor_id", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(String(500))


class VisitRow(Base):
    __tablename__ = "visits"
    # the meeting pack: a rep's visits by day; /report: a period's visits, grouped by rep,
    # customer, kind and intent from the index alone
    __table_args__ = (
        Index("ix_visits_rep_day", "rep_id", "visited_on"),
        Index("ix_visits_day", "visited_on", "rep_id", "customer_id", "kind", "intent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    visited_on: Mapped[date] = mapped_column(Date)
    logged_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(500))
    intent: Mapped[str] = mapped_column(String(16))
    next_step: Mapped[str | None] = mapped_column(String(300))
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    distance_m: Mapped[float | None]
    far: Mapped[bool] = mapped_column(default=False)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)


class RequestRow(Base):
    __tablename__ = "approval_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(DecimalType(3))
    amount: Mapped[Decimal] = mapped_column(DecimalType(2))
    discount: Mapped[Decimal | None] = mapped_column(DecimalType(2))
    payment_terms: Mapped[str | None] = mapped_column(String(300))
    deposit: Mapped[Decimal | None] = mapped_column(DecimalType(2))
    note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    previous_terms: Mapped[dict[str, Any] | None]  # the round before, decimals as strings


class RequestCcRow(Base):
    """Whom the requester added to inform (抄送) when filing: they read it, never decide it."""

    __tablename__ = "request_cc"

    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)


class StepRow(Base):
    __tablename__ = "approval_steps"
    __table_args__ = (
        Index("ix_approval_steps_open", "status", "next_nudge_at"),
        # who decides open steps: the sweep's delegation check, the digest, /pending
        Index("ix_approval_steps_open_approver", "status", "approver_id", "acting_id"),
        Index("ix_approval_steps_open_acting", "status", "acting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), index=True)
    round: Mapped[int]
    position: Mapped[int]
    role: Mapped[str] = mapped_column(String(32))
    approver_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    acting_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    moved: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    next_nudge_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    comment: Mapped[str | None] = mapped_column(String(500))
    urged_at: Mapped[datetime | None]


class DelegationRow(Base):
    __tablename__ = "delegations"
    # the delegations covering a moment: those ending later (few) are read by their end
    __table_args__ = (Index("ix_delegations_window", "ends_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    cancelled: Mapped[bool] = mapped_column(default=False)


class DigestRow(Base):
    """One row per person, kind and local day: the claim that makes digests idempotent."""

    __tablename__ = "digest_log"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class PlanRow(Base):
    __tablename__ = "weekly_plans"
    __table_args__ = (
        UniqueConstraint("rep_id", "week"),
        Index("ix_weekly_plans_week", "week"),  # /report: the plans of a period's weeks
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    week: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    goals: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(String(500))
    last_submitted: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PlanItemRow(Base):
    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("weekly_plans.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    day: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(200))


class TargetRow(Base):
    __tablename__ = "monthly_targets"
    __table_args__ = (UniqueConstraint("rep_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    month: Mapped[date] = mapped_column(Date)
    sales: Mapped[Decimal] = mapped_column(DecimalType(2))
    quantity: Mapped[Decimal] = mapped_column(DecimalType(3), server_default="0")
    collection: Mapped[Decimal] = mapped_column(DecimalType(2))
    set_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    set_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    confirm_by: Mapped[datetime | None]
    # the reminder, then the deadline; NULL once confirmed or told: the sweep's index
    next_nudge_at: Mapped[datetime | None] = mapped_column(index=True)


class DealRow(Base):
    """A deal from the customer's agreement to its close (bot/core/orders.py)."""

    __tablename__ = "deals"
    __table_args__ = (Index("ix_deals_opened_at", "opened_at"),)  # /report: deals won

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    # one deal per approved request: its terms are the deal's, carried over
    request_id: Mapped[int | None] = mapped_column(ForeignKey("approval_requests.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(16), index=True)
    opened_at: Mapped[datetime]
    stage_at: Mapped[datetime]
    # the signed reservation (签预定书)
    reserved_amount: Mapped[Decimal | None] = mapped_column(DecimalType(2))
    expected_deposit: Mapped[Decimal | None] = mapped_column(DecimalType(2))
    signed_page: Mapped[str | None] = mapped_column(String(256))
    page_is_photo: Mapped[bool | None]
    reserved_at: Mapped[datetime | None]


class DepositRow(Base):
    """The deposit (定金) of a deal, as the accountant recorded it with her receipt (收据)."""

    __tablename__ = "deposits"
    __table_args__ = (Index("ix_deposits_paid_on", "paid_on"),)  # /report: money received

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(DecimalType(2))
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    receipt_no: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]


class WorkLogRow(Base):
    __tablename__ = "work_logs"

    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class MeetingTopicRow(Base):
    """The training topic a manager set for the meeting before `week` (the planned week)."""

    __tablename__ = "meeting_topics"

    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime]


class PerformanceReviewRow(Base):
    """A rep's monthly performance review: the month's figures frozen when it was prepared,
    the suggested grade, the rep's comment, the manager's grade (and the reason if it
    differs from the suggestion), one per rep and month."""

    __tablename__ = "performance_reviews"
    __table_args__ = (UniqueConstraint("rep_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    month: Mapped[date] = mapped_column(Date)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    figures: Mapped[dict[str, Any]]
    suggested: Mapped[str] = mapped_column(String(16))
    prepared_at: Mapped[datetime]
    comment: Mapped[str | None] = mapped_column(String(500))
    commented_at: Mapped[datetime | None]
    grade: Mapped[str | None] = mapped_column(String(16))
    graded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    graded_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    told_at: Mapped[datetime | None]


class InboxRow(Base):
    """Every received update, stored before it is confirmed to Telegram; `handled_at` is set in
    the same transaction as the update's first change, so a crash never loses or repeats one."""

    __tablename__ = "update_inbox"
    __table_args__ = (
        Index(
            "ix_update_inbox_open",
            "update_id",
            sqlite_where=text("handled_at IS NULL"),
            postgresql_where=text("handled_at IS NULL"),
        ),
        Index("ix_update_inbox_received_at", "received_at"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_key: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]


class ContractRow(Base):
    """A contract from its application to its close (bot/core/contracts.py); its terms are
    in contract_lines and instalments."""

    __tablename__ = "contracts"
    # the ledger's lists, newest first, by rep, customer or status
    __table_args__ = (
        Index("ix_contracts_owner", "owner_id", "id"),
        Index("ix_contracts_customer", "customer_id", "id"),
        Index("ix_contracts_status", "status", "id"),
        # the production and delivery queues: in force, goods ready or not, notice signed or not
        Index("ix_contracts_production", "status", "goods_ready_at", "production_signed_at"),
        Index("ix_contracts_cosigned_at", "cosigned_at"),  # /report: a period's contracts
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    filed_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("approval_requests.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    deposit: Mapped[Decimal] = mapped_column(DecimalType(2))
    delivery_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    signed_at: Mapped[datetime | None]
    cosigned_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    cosigned_at: Mapped[datetime | None]
    production_signed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    production_signed_at: Mapped[datetime | None]
    goods_ready_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    legal_flagged_at: Mapped[datetime | None]


class ContractLineRow(Base):
    __tablename__ = "contract_lines"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    product: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(DecimalType(3))
    unit_price: Mapped[Decimal] = mapped_column(DecimalType(2))
    discount: Mapped[Decimal | None] = mapped_column(DecimalType(2))


class InstalmentRow(Base):
    __tablename__ = "instalments"
    # the collections sweep: contracts with an instalment due by a day
    __table_args__ = (
        Index("ix_instalments_due", "due", "contract_id"),
        # /report: each contract's scheduled money by a day, from the index alone
        Index("ix_instalments_contract", "contract_id", "due", "amount"),
    )

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    due: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(DecimalType(2))


class CollectionClaimRow(Base):
    """One row per telling of an instalment (due soon, or the n-th overdue reminder): the
    claim that makes the collections sweep send each once."""

    __tablename__ = "collection_claims"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    due: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    stage: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    claimed_at: Mapped[datetime]


class ContractNumberRow(Base):
    """The last `seq` given in each number series (a year, or 0 for all years): one counter
    row, taken by an UPSERT … RETURNING, so two approvals at once get two numbers."""

    __tablename__ = "contract_numbers"

    series: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int]


class PaymentRow(Base):
    __tablename__ = "payments"
    # a month's payments (commission sheets, reconciliation)
    __table_args__ = (
        Index("ix_payments_paid_on", "paid_on"),
        # /report: each contract's money received by a day, from the index alone
        Index("ix_payments_contract_day", "contract_id", "paid_on", "amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(DecimalType(2))
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]


class DeliveryNoteRow(Base):
    __tablename__ = "delivery_notes"
    __table_args__ = (
        UniqueConstraint("contract_id", "seq"),
        Index("ix_delivery_notes_status", "status", "id"),  # the delivery queues
        Index("ix_delivery_notes_booked_at", "booked_at"),  # a month's deliveries booked
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    seq: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    filed_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    signed_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    signed_copy: Mapped[str | None] = mapped_column(String(255))
    copy_at: Mapped[datetime | None]
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    booked_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class DeliveryLineRow(Base):
    """A note's quantity of one contract line (every line, zeros included)."""

    __tablename__ = "delivery_lines"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_notes.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    quantity: Mapped[Decimal] = mapped_column(DecimalType(3))


class WorkOrderRow(Base):
    __tablename__ = "work_orders"
    # the follow-on queues: the open orders by status, oldest first
    __table_args__ = (Index("ix_work_orders_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    task: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    filed_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    signed_at: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    assigned_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    acceptance: Mapped[str | None] = mapped_column(String(500))


class InvoiceRow(Base):
    __tablename__ = "invoices"
    # the accountant's queue: the signed invoices, oldest first
    __table_args__ = (
        Index("ix_invoices_status", "status", "id"),
        Index("uq_invoices_number", "number", unique=True),  # a 发票号码 is recorded once
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(DecimalType(2))
    collected: Mapped[Decimal] = mapped_column(DecimalType(2))
    status: Mapped[str] = mapped_column(String(16))
    asked_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    asked_at: Mapped[datetime]
    request_id: Mapped[int | None] = mapped_column(ForeignKey("approval_requests.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(32))
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    issued_at: Mapped[datetime | None]


class CommissionSheetRow(Base):
    """A rep's commission sheet for a month (bot/core/commission.py). One live sheet (not
    returned) per rep and month; a returned one stays, replaced by the next one filed."""

    __tablename__ = "commission_sheets"
    __table_args__ = (
        Index(
            "uq_commission_sheets_live",
            "rep_id",
            "month",
            unique=True,
            sqlite_where=text("status != 'returned'"),
            postgresql_where=text("status != 'returned'"),
        ),
        Index("ix_commission_sheets_status", "status", "id"),  # the commission queues
        Index("ix_commission_sheets_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    month: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    step: Mapped[int]
    commission: Mapped[Decimal] = mapped_column(DecimalType(2))
    deduction: Mapped[Decimal] = mapped_column(DecimalType(2))
    payable: Mapped[Decimal] = mapped_column(DecimalType(2))
    unrecovered: Mapped[Decimal] = mapped_column(DecimalType(2))
    excluded: Mapped[list[int]] = mapped_column(JSON)  # payment ids that earn nothing
    checks: Mapped[list[Any]] = mapped_column(JSON)  # [role, person id, ISO time] per step
    filed_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    paid_at: Mapped[datetime | None]
    paid_reference: Mapped[str | None] = mapped_column(String(64))
    returned_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(String(300))


class CommissionLineRow(Base):
    """A sheet's line: one contract, the payments it counts, its commission and deduction."""

    __tablename__ = "commission_lines"

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("commission_sheets.id", ondelete="CASCADE"), primary_key=True
    )
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    payment_ids: Mapped[list[int]] = mapped_column(JSON)
    collected: Mapped[Decimal] = mapped_column(DecimalType(2))
    rate: Mapped[Decimal] = mapped_column(DecimalType(4))
    commission: Mapped[Decimal] = mapped_column(DecimalType(2))
    deduction: Mapped[Decimal] = mapped_column(DecimalType(2))


class ReconciliationRow(Base):
    """A month's reconciliation of the ledger: the department's accrual once reconciled."""

    __tablename__ = "reconciliations"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    accrual: Mapped[Decimal | None] = mapped_column(DecimalType(2))
    accrued_total: Mapped[Decimal | None] = mapped_column(DecimalType(2))


class ReconciliationConfirmationRow(Base):
    """One side's confirmation of a month (the sales desk, the accountant), with its own
    figures for the lines that differ ({line: "amount"})."""

    __tablename__ = "reconciliation_confirmations"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    role: Mapped[str] = mapped_column(String(24), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[datetime]
    figures: Mapped[dict[str, Any]]
