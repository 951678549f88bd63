"""/report: the figures of a period, in a scope the actor may read, by one dimension."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.core.calendar import local
from bot.core.errors import NotAllowed
from bot.core.models import Person
from bot.core.org import subtree_ids
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.reports import (
    Dimension,
    Grouped,
    Key,
    Period,
    Report,
    ReportScope,
    build,
    period_of,
    report_query,
    scopes_of,
)
from bot.core.usecases.guards import active_person


def owners_in(actor: Person, scope: ReportScope, people: Iterable[Person]) -> set[int] | None:
    """The owners whose figures the scope holds; None: the company's. Refused unless the
    actor's role may read that scope (`reports.SCOPES`)."""
    if scope not in scopes_of(actor.role):
        raise NotAllowed()
    match scope:
        case ReportScope.me:
            return {actor.id}
        case ReportScope.team:
            return subtree_ids(actor.id, people)
    return None


def _labels(
    dimension: Dimension, grouped: Grouped, people: Iterable[Person]
) -> Mapping[Key, str | None]:
    """People and customers by name; a region, channel or product is its own label, and an
    unset one (None) is named by the view ("(no region)")."""
    if dimension is Dimension.rep:
        return {p.id: p.full_name for p in people}
    if dimension is Dimension.customer:
        return grouped.names
    return {key: key if isinstance(key, str) else None for key, _f in grouped.rows}


async def report(
    uow: UnitOfWork,
    actor_id: int,
    period: Period,
    scope: ReportScope,
    dimension: Dimension,
    *,
    policy: Policy,
    now: datetime,
) -> Report:
    """The report, its scope checked here whatever the buttons offered: a rep only ever gets
    their own figures. The period is taken again from today (a named one) or checked again
    (a chosen range), so a form left open over midnight or a forged range cannot pass."""
    actor = await active_person(uow, actor_id)
    people = list(await uow.people.all())
    owners = owners_in(actor, scope, people)
    today = local(now, policy).date()
    period = period_of(period.kind, today, period.first, period.last)
    query = report_query(period, dimension, owners, policy, today)
    grouped = await uow.reports.figures(query)
    return build(query, scope, grouped.rows, _labels(dimension, grouped, people))
