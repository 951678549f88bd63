"""The /report figures (bot/core/reports.py): one GROUP BY statement per measure family,
filtered by the period and the owners in scope, grouped by the dimension.

Money is summed exactly in SQL on both engines: SQLite keeps decimals as text, so every amount
is turned into whole cents (quantities into thousandths) before it is summed as an integer,
and a contract line's net amount is worked out in integers with the ledger's half-up rounding
(`ContractLine.amount_of`) without passing 64 bits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Numeric,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.core.commission import SheetStatus
from bot.core.contracts import ContractStatus
from bot.core.customer_rules import Intent, VisitKind
from bot.core.deliveries import DeliveryStatus
from bot.core.orders import DealStage
from bot.core.plans import PlanStatus
from bot.core.reports import Dimension, Family, Figures, Grouped, Key, ReportQuery
from storage.tables import (
    CommissionLineRow,
    CommissionSheetRow,
    ContractLineRow,
    ContractRow,
    CustomerRow,
    DealRow,
    DeliveryLineRow,
    DeliveryNoteRow,
    DepositRow,
    InstalmentRow,
    PaymentRow,
    PlanItemRow,
    PlanRow,
    TargetRow,
    VisitRow,
)

Column = ColumnElement[Any] | InstrumentedAttribute[Any]
Query = Select[*tuple[Any, ...]]
IN_FORCE_OR_CLOSED = (ContractStatus.in_force.value, ContractStatus.closed.value)
INTENT = tuple(i.value for i in Intent if i.asks_for_registration)


def units(column: Column, places: int) -> Column:
    """A decimal column as whole units of 10**-places (cents: 2), an exact integer."""
    return cast(func.round(type_coerce(column, Numeric) * 10**places), BigInteger)


def line_cents(quantity: Column, unit_price: Column, discount: Column) -> Column:
    """to_cent(quantity × unit_price × (100 − discount) ÷ 100) in integers: with q thousandths,
    p cents and m = 10,000 − discount in hundredths of a per cent, the cents are
    (q·p·m + 5·10⁶) div 10⁷. q·p·m may pass 64 bits, so it is split: A = q·p = a1·10⁴ + a0,
    X = a1·m = x1·10³ + x0, and the cents are x1 + (x0·10⁴ + a0·m + 5·10⁶) div 10⁷."""
    a = units(quantity, 3) * units(unit_price, 2)
    m = 10000 - func.coalesce(units(discount, 2), 0)
    x = (a // 10000) * m
    return x // 1000 + ((x % 1000) * 10000 + (a % 10000) * m + 5000000) // 10000000


def _sum_if(condition: Column, value: Column | int = 1) -> Column:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _positive(value: Column) -> Column:
    return case((value > 0, value), else_=0)


def _cents(value: object) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)  # type: ignore[call-overload]


def _thousandths(value: object) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-3)  # type: ignore[call-overload]


class _Grouping:
    """The dimension's key (and the customer's name, for the customer dimension) of one
    family's statement, and the scope's filter on it."""

    def __init__(self, query: ReportQuery) -> None:
        self.query = query

    def key(self, person: Column, product: Column | None = None) -> Column:
        match self.query.dimension:
            case Dimension.rep:
                return person
            case Dimension.region:
                return CustomerRow.region
            case Dimension.customer:
                return CustomerRow.id
            case Dimension.channel:
                return CustomerRow.source
        if product is None:
            raise ValueError("the product dimension needs a product column")
        return product

    def select(self, person: Column, *measures: Column, product: Column | None = None) -> Query:
        key = self.key(person, product)
        label = CustomerRow.name if self.query.dimension is Dimension.customer else literal(None)
        return select(key.label("key"), label.label("label"), *measures)

    def grouped(self, statement: Query, person: Column, product: Column | None = None) -> Query:
        key = self.key(person, product)
        group = (key, CustomerRow.name) if self.query.dimension is Dimension.customer else (key,)
        return self.scoped(statement, person).group_by(*group)

    def scoped(self, statement: Query, person: Column) -> Query:
        """A figure is the work of the person it is credited to, and stays theirs when its
        customer later changes hands (the pool, a reassignment): a rep's past month does not
        shrink. Only the customer breakdown, which names customers, also keeps to the
        customers the scope holds now: a rep's report never names another rep's customer."""
        owners = self.query.owner_ids
        if owners is None:
            return statement
        ids = sorted(owners)
        if self.query.dimension is Dimension.customer:
            return statement.where(person.in_(ids), CustomerRow.owner_id.in_(ids))
        return statement.where(person.in_(ids))

    @property
    def needs_customer(self) -> bool:
        """Whether the statement must read the customer (its region, source, name or owner)."""
        return self.query.dimension is not Dimension.rep or self.query.owner_ids is not None


class SqlReports:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def figures(self, query: ReportQuery) -> Grouped:
        """One statement per family the dimension computes (at most ten), whatever the data."""
        grouping = _Grouping(query)
        rows: list[tuple[Key, Figures]] = []
        names: dict[Key, str] = {}
        for family in sorted(query.families):
            statement, figures = _FAMILIES[family](grouping)
            for row in await self._session.execute(statement):
                rows.append((row.key, figures(row)))
                if row.label is not None:
                    names[row.key] = row.label
        return Grouped(rows, names)


Family_ = tuple[Query, Any]


def _visits(g: _Grouping) -> Family_:
    q = g.query
    visit = VisitRow
    statement = (
        g.select(
            visit.rep_id,
            func.count().label("visits"),
            _sum_if(visit.kind == VisitKind.first.value).label("first"),
            _sum_if(visit.kind == VisitKind.revisit.value).label("revisits"),
            _sum_if(visit.intent.in_(INTENT)).label("intent"),
        )
        .select_from(visit)
        .where(visit.visited_on >= q.period.first, visit.visited_on <= q.period.last)
    )
    if g.needs_customer:
        statement = statement.join(CustomerRow, CustomerRow.id == visit.customer_id)
    return g.grouped(statement, visit.rep_id), lambda r: Figures(
        visits=r.visits, first_visits=r.first, revisits=r.revisits, intent_visits=r.intent
    )


def _customers(g: _Grouping) -> Family_:
    q = g.query
    c = CustomerRow
    new = and_(c.created_at >= q.starts_at, c.created_at < q.ends_at)
    confirmed = and_(c.confirmed_at >= q.starts_at, c.confirmed_at < q.ends_at)
    statement = (
        g.select(c.owner_id, _sum_if(new).label("new"), _sum_if(confirmed).label("confirmed"))
        .select_from(c)
        .where(or_(new, confirmed))
    )
    return g.grouped(statement, c.owner_id), lambda r: Figures(
        new_customers=r.new, prospects_confirmed=r.confirmed
    )


def _deals(g: _Grouping) -> Family_:
    q = g.query
    statement = (
        g.select(DealRow.owner_id, func.count().label("won"))
        .select_from(DealRow)
        .join(CustomerRow, CustomerRow.id == DealRow.customer_id)
        .where(
            DealRow.opened_at >= q.starts_at,
            DealRow.opened_at < q.ends_at,
            DealRow.stage != DealStage.lost.value,
        )
    )
    return g.grouped(statement, DealRow.owner_id), lambda r: Figures(deals_won=r.won)


def _cosigned(q: ReportQuery) -> tuple[Column, ...]:
    return (
        ContractRow.status.in_(IN_FORCE_OR_CLOSED),
        ContractRow.cosigned_at >= q.starts_at,
        ContractRow.cosigned_at < q.ends_at,
    )


def _contracts(g: _Grouping) -> Family_:
    line = ContractLineRow
    amount = line_cents(line.quantity, line.unit_price, line.discount)
    statement = (
        g.select(
            ContractRow.owner_id,
            func.sum(amount).label("amount"),
            func.sum(units(line.quantity, 3)).label("quantity"),
            product=line.product,
        )
        .select_from(ContractRow)
        .join(line, line.contract_id == ContractRow.id)
        .join(CustomerRow, CustomerRow.id == ContractRow.customer_id)
        .where(*_cosigned(g.query))
    )
    return g.grouped(statement, ContractRow.owner_id, line.product), lambda r: Figures(
        contract_amount=_cents(r.amount), contract_quantity=_thousandths(r.quantity)
    )


def _deliveries(g: _Grouping) -> Family_:
    q = g.query
    note, part, line = DeliveryNoteRow, DeliveryLineRow, ContractLineRow
    amount = line_cents(part.quantity, line.unit_price, line.discount)
    statement = (
        g.select(
            ContractRow.owner_id,
            func.sum(amount).label("amount"),
            func.sum(units(part.quantity, 3)).label("quantity"),
            product=line.product,
        )
        .select_from(note)
        .join(part, part.note_id == note.id)
        .join(line, and_(line.contract_id == note.contract_id, line.position == part.position))
        .join(ContractRow, ContractRow.id == note.contract_id)
        .join(CustomerRow, CustomerRow.id == ContractRow.customer_id)
        .where(
            note.booked_at >= q.starts_at,
            note.booked_at < q.ends_at,
            note.status != DeliveryStatus.cancelled.value,
        )
    )
    return g.grouped(statement, ContractRow.owner_id, line.product), lambda r: Figures(
        delivered=_cents(r.amount), delivered_quantity=_thousandths(r.quantity)
    )


def _receipts(g: _Grouping) -> Family_:
    """Payments on contracts and deposits on deals, as one UNION ALL grouped once."""
    q = g.query
    paid = (
        g.select(ContractRow.owner_id.label("person"), units(PaymentRow.amount, 2).label("cents"))
        .select_from(PaymentRow)
        .join(ContractRow, ContractRow.id == PaymentRow.contract_id)
        .join(CustomerRow, CustomerRow.id == ContractRow.customer_id)
        .where(PaymentRow.paid_on >= q.period.first, PaymentRow.paid_on <= q.period.last)
    )
    deposits = (
        g.select(DealRow.owner_id.label("person"), units(DepositRow.amount, 2).label("cents"))
        .select_from(DepositRow)
        .join(DealRow, DealRow.id == DepositRow.deal_id)
        .join(CustomerRow, CustomerRow.id == DealRow.customer_id)
        .where(DepositRow.paid_on >= q.period.first, DepositRow.paid_on <= q.period.last)
    )
    money = union_all(
        g.scoped(paid, ContractRow.owner_id), g.scoped(deposits, DealRow.owner_id)
    ).subquery()
    statement = select(
        money.c.key, money.c.label, func.sum(money.c.cents).label("collected")
    ).group_by(money.c.key, money.c.label)
    return statement, lambda r: Figures(collected=_cents(r.collected))


def _collection(g: _Grouping) -> Family_:
    """Per contract in a subquery, then grouped: with D the deposit, S the deposit plus the
    instalments due by a day, and X the money received by then (deposit first, then the
    instalments oldest first), what is unpaid of those instalments is max(0, S − X) −
    max(0, D − X), the sum `collection_analysis` takes instalment by instalment."""
    q = g.query
    period = q.period
    inst = (
        select(
            InstalmentRow.contract_id,
            _sum_if(InstalmentRow.due <= period.last, units(InstalmentRow.amount, 2)).label(
                "s_due"
            ),
            _sum_if(InstalmentRow.due < q.as_of, units(InstalmentRow.amount, 2)).label("s_over"),
        )
        .where(InstalmentRow.due <= period.last)
        .group_by(InstalmentRow.contract_id)
        .subquery()
    )
    pay = (
        select(
            PaymentRow.contract_id,
            _sum_if(PaymentRow.paid_on < period.first, units(PaymentRow.amount, 2)).label("xb"),
            func.sum(units(PaymentRow.amount, 2)).label("xe"),
        )
        .where(PaymentRow.paid_on <= period.last)
        .group_by(PaymentRow.contract_id)
        .subquery()
    )
    deposit = units(ContractRow.deposit, 2)
    received = units(DepositRow.amount, 2)
    per = (
        select(
            ContractRow.owner_id,
            ContractRow.customer_id,
            deposit.label("d"),
            (deposit + func.coalesce(inst.c.s_due, 0)).label("s_due"),
            (deposit + func.coalesce(inst.c.s_over, 0)).label("s_over"),
            (
                func.coalesce(pay.c.xb, 0)
                + case((DepositRow.paid_on < period.first, received), else_=0)
            ).label("xb"),
            (
                func.coalesce(pay.c.xe, 0)
                + case((DepositRow.paid_on <= period.last, received), else_=0)
            ).label("xe"),
        )
        .outerjoin(inst, inst.c.contract_id == ContractRow.id)
        .outerjoin(pay, pay.c.contract_id == ContractRow.id)
        .outerjoin(DepositRow, DepositRow.deal_id == ContractRow.deal_id)
        .where(
            or_(
                ContractRow.status == ContractStatus.in_force.value,
                and_(
                    ContractRow.status == ContractStatus.closed.value,
                    ContractRow.closed_at >= q.starts_at,
                ),
            )
        )
        .subquery()
    )

    def unpaid(scheduled: Column, money: Column) -> Column:
        return _positive(scheduled - money) - _positive(per.c.d - money)

    due = unpaid(per.c.s_due, per.c.xb)
    statement = g.select(
        per.c.owner_id,
        func.sum(due).label("due"),
        func.sum(due - unpaid(per.c.s_due, per.c.xe)).label("applied"),
        func.sum(unpaid(per.c.s_over, per.c.xe)).label("overdue"),
    ).select_from(per)
    if g.needs_customer:
        statement = statement.join(CustomerRow, CustomerRow.id == per.c.customer_id)
    return g.grouped(statement, per.c.owner_id), lambda r: Figures(
        due=_cents(r.due), applied=_cents(r.applied), overdue=_cents(r.overdue)
    )


def _plans(g: _Grouping) -> Family_:
    """Planned visits per plan and customer, each matched with the rep's visits to that
    customer in the plan's week: done is the smaller of the two counts."""
    q = g.query
    items = (
        select(
            PlanRow.rep_id,
            PlanRow.week,
            PlanItemRow.customer_id,
            func.count().label("planned"),
        )
        .join(PlanRow, PlanRow.id == PlanItemRow.plan_id)
        .where(
            PlanRow.week >= q.period.first,
            PlanRow.week <= q.period.last,
            PlanRow.status != PlanStatus.draft.value,
        )
        .group_by(PlanRow.id, PlanRow.rep_id, PlanRow.week, PlanItemRow.customer_id)
        .subquery()
    )
    done = (
        select(func.count())
        .where(
            VisitRow.rep_id == items.c.rep_id,
            VisitRow.customer_id == items.c.customer_id,
            VisitRow.visited_on >= items.c.week,
            VisitRow.visited_on <= week_last_day(items.c.week),
        )
        .scalar_subquery()
    )
    statement = g.select(
        items.c.rep_id,
        func.sum(items.c.planned).label("planned"),
        func.sum(least(done, items.c.planned)).label("done"),
    ).select_from(items)
    if g.needs_customer:
        statement = statement.join(CustomerRow, CustomerRow.id == items.c.customer_id)
    return g.grouped(statement, items.c.rep_id), lambda r: Figures(
        planned_visits=int(r.planned), planned_done=int(r.done)
    )


def _spelled(element: type[FunctionElement[Any]], sqlite: str, other: str) -> None:
    """Compile `element` from a template per engine, `{}` standing for its arguments."""

    def compile_as(template: str) -> Any:
        def compiled(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
            return template.format(compiler.process(element.clauses, **kw))

        return compiled

    compiles(element, "sqlite")(compile_as(sqlite))
    compiles(element)(compile_as(other))


class least(FunctionElement[int]):  # noqa: N801 (an SQL function's name)
    """The smaller of two integers, each evaluated once (a CASE would run a correlated
    subquery twice): SQLite's two-argument min(), PostgreSQL's LEAST."""

    type = BigInteger()
    name = "least"
    inherit_cache = True


class week_last_day(FunctionElement[date]):  # noqa: N801 (an SQL function's name)
    """The Sunday of the week starting on a Monday column: date arithmetic is the one thing
    the two engines spell differently."""

    type = Date()
    name = "week_last_day"
    inherit_cache = True


_spelled(least, "min({})", "LEAST({})")
_spelled(week_last_day, "date({}, '+6 days')", "({} + 6)")


def _targets(g: _Grouping) -> Family_:
    q = g.query
    t = TargetRow
    statement = select(
        t.rep_id.label("key"),
        literal(None).label("label"),
        func.sum(units(t.sales, 2)).label("sales"),
        func.sum(units(t.collection, 2)).label("collection"),
    ).where(t.month >= q.first_month, t.month <= q.period.last)
    if q.owner_ids is not None:
        statement = statement.where(t.rep_id.in_(sorted(q.owner_ids)))
    return statement.group_by(t.rep_id), lambda r: Figures(
        target_sales=_cents(r.sales), target_collection=_cents(r.collection)
    )


def _commission(g: _Grouping) -> Family_:
    q = g.query
    sheet, line = CommissionSheetRow, CommissionLineRow
    statement = (
        g.select(sheet.rep_id, func.sum(units(line.commission, 2)).label("commission"))
        .select_from(line)
        .join(sheet, sheet.id == line.sheet_id)
        .join(ContractRow, ContractRow.id == line.contract_id)
        .join(CustomerRow, CustomerRow.id == ContractRow.customer_id)
        .where(
            sheet.status != SheetStatus.returned.value,
            sheet.month >= q.first_month,
            sheet.month <= q.period.last,
        )
    )
    return g.grouped(statement, sheet.rep_id), lambda r: Figures(commission=_cents(r.commission))


_FAMILIES = {
    Family.visits: _visits,
    Family.customers: _customers,
    Family.deals: _deals,
    Family.contracts: _contracts,
    Family.deliveries: _deliveries,
    Family.receipts: _receipts,
    Family.collection: _collection,
    Family.plans: _plans,
    Family.targets: _targets,
    Family.commission: _commission,
}
