"""/report: the figures of a period, in a scope the actor may read, by one dimension."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.core.calendar import local
from bot.core.errors import NotAllowed
from bot.core.models import Person
from bot.core.org import subtree_ids
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.reports import (
    Dimension,
    Figures,
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


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def figures_snapshot(f: Figures) -> dict[str, str | None]:
    """A line's measures as plain JSON (decimals as strings; None: no meaning here, "—")."""
    view = {name: _text(getattr(f, name)) for name in Figures.__dataclass_fields__}
    view.update(
        rate=_text(f.collection_rate),
        plan=_text(f.plan_completion),
        target=_text(f.target_completion),
    )
    return view


def report_snapshot(report: Report, shown: int) -> dict[str, Any]:
    """The report as plain JSON, in no language: codes for the period, scope and dimension,
    each line's own label (a name; None for "no region"), the first `shown` lines, how many
    more and their sum (`rest`, for a chart's "N more" bar). What the window, the chart and the
    monthly push are rendered from."""
    period = report.period
    return {
        "period_kind": period.kind.value,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "as_of": report.as_of.isoformat(),
        "scope_code": report.scope.value,
        "dimension_code": report.dimension.value,
        "by_product": report.dimension is Dimension.product,
        "total": figures_snapshot(report.total),
        "lines": [
            {"label": line.label, "name": line.label or "—", **figures_snapshot(line.figures)}
            for line in report.lines[:shown]
        ],
        "more": max(len(report.lines) - shown, 0),
        "rest": figures_snapshot(sum((line.figures for line in report.lines[shown:]), Figures()))
        if len(report.lines) > shown
        else None,
    }
