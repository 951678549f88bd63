from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.approval_repos import (
    SqlDelegationRepo,
    SqlDigestLog,
    SqlRequestRepo,
    SqlStepRepo,
)
from storage.audit_repo import SqlAuditLog
from storage.commission_repos import SqlCommissionSheets
from storage.contract_repos import SqlCollectionClaims, SqlContracts
from storage.customer_repos import SqlCustomerEvents, SqlCustomerRepo, SqlVisitRepo
from storage.deal_repos import SqlDeals
from storage.invoice_repos import SqlInvoices
from storage.ledger_repos import SqlDeliveries, SqlPayments, SqlWorkOrders
from storage.outbox_repo import SqlOutbox
from storage.plan_repos import SqlMeetingTopics, SqlPlanRepo, SqlTargetRepo, SqlWorkLogRepo
from storage.pool_repos import SqlCustomerPool
from storage.reconciliation_repo import SqlReconciliations
from storage.report_repos import SqlReports
from storage.review_repos import SqlReviewRepo
from storage.scope import UpdateScope, current_scope
from storage.team_repos import SqlInviteRepo, SqlPersonRepo


class SqlUnitOfWork:
    """One session, one transaction. Use cases commit; leaving without a commit rolls back.
    Inside an update the session is the update's own (storage/scope.py)."""

    people: SqlPersonRepo
    invites: SqlInviteRepo
    outbox: SqlOutbox
    audit: SqlAuditLog
    customers: SqlCustomerRepo
    requests: SqlRequestRepo
    steps: SqlStepRepo
    delegations: SqlDelegationRepo
    digests: SqlDigestLog
    customer_events: SqlCustomerEvents
    pool: SqlCustomerPool
    visits: SqlVisitRepo
    plans: SqlPlanRepo
    targets: SqlTargetRepo
    work_logs: SqlWorkLogRepo
    deals: SqlDeals
    meeting_topics: SqlMeetingTopics
    reviews: SqlReviewRepo
    contracts: SqlContracts
    payments: SqlPayments
    deliveries: SqlDeliveries
    work_orders: SqlWorkOrders
    collection_claims: SqlCollectionClaims
    invoices: SqlInvoices
    commission_sheets: SqlCommissionSheets
    reconciliations: SqlReconciliations
    reports: SqlReports

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._scope: UpdateScope | None = None
        self._committed = False

    async def __aenter__(self) -> Self:
        self._scope = current_scope()
        session = self._sessionmaker() if self._scope is None else self._scope.session
        self._session = session
        self.people = SqlPersonRepo(session)
        self.invites = SqlInviteRepo(session)
        self.outbox = SqlOutbox(session)
        self.audit = SqlAuditLog(session)
        self.customers = SqlCustomerRepo(session)
        self.requests = SqlRequestRepo(session)
        self.steps = SqlStepRepo(session)
        self.delegations = SqlDelegationRepo(session)
        self.digests = SqlDigestLog(session)
        self.customer_events = SqlCustomerEvents(session)
        self.pool = SqlCustomerPool(session)
        self.visits = SqlVisitRepo(session)
        self.plans = SqlPlanRepo(session)
        self.targets = SqlTargetRepo(session)
        self.work_logs = SqlWorkLogRepo(session)
        self.deals = SqlDeals(session)
        self.meeting_topics = SqlMeetingTopics(session)
        self.reviews = SqlReviewRepo(session)
        self.contracts = SqlContracts(session)
        self.payments = SqlPayments(session)
        self.deliveries = SqlDeliveries(session)
        self.work_orders = SqlWorkOrders(session)
        self.collection_claims = SqlCollectionClaims(session)
        self.invoices = SqlInvoices(session)
        self.commission_sheets = SqlCommissionSheets(session)
        self.reconciliations = SqlReconciliations(session)
        self.reports = SqlReports(session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.rollback()
            if self._scope is None:  # the update's own session closes with the update
                await self._session.close()
            self._session = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    @property
    def committed(self) -> bool:
        """Whether anything of this unit of work was committed (a later rollback undoes only
        what came after)."""
        return self._committed

    async def commit(self) -> None:
        if self._scope is not None:
            await self._scope.commit()
        else:
            await self.session.commit()
        self._committed = True
        if self._on_commit is not None and self.outbox.queued:
            self.outbox.queued = False
            self._on_commit()  # wake the outbox sender: this commit queued messages

    async def rollback(self) -> None:
        await self.session.rollback()
