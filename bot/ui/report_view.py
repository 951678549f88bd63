"""/report as the reader sees it: the choices' labels, the refusals' sentences, and the report
as its template reads it (decimals as strings; None where a measure has no meaning, shown "—").
The chart and the export read the same `report_params`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.core.reports import Dimension, Figures, PeriodKind, PeriodRefused, Report, ReportLine
from bot.i18n import N_
from bot.labels import pick_label

LINES_SHOWN = 15

PERIOD_LABELS: dict[PeriodKind, str] = {
    PeriodKind.this_week: N_("This week"),
    PeriodKind.last_week: N_("Last week"),
    PeriodKind.this_month: N_("This month"),
    PeriodKind.last_month: N_("Last month"),
    PeriodKind.range: N_("📅 Choose the dates"),
}
SCOPE_LABELS = {"me": N_("Mine"), "team": N_("My team"), "company": N_("The company")}
DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.rep: N_("By rep"),
    Dimension.region: N_("By region"),
    Dimension.customer: N_("By customer"),
    Dimension.product: N_("By product"),
    Dimension.channel: N_("By channel"),
}


def choices(labels: dict[Any, str], allowed: Any = None) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a Select, in the labels' order."""
    return [(str(k), _(v)) for k, v in labels.items() if allowed is None or k in allowed]


def period_refused(refused: PeriodRefused) -> str:
    return {
        "reversed": _("The last day comes before the first; please choose again."),
        "future": _("The report ends today at the latest; please choose an earlier day."),
    }.get(
        refused.reason,
        _("A report covers at most %(days)s days; please choose a shorter range.")
        % {"days": refused.limit},
    )


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def figures_view(f: Figures) -> dict[str, Any]:
    view = {name: _text(getattr(f, name)) for name in Figures.__dataclass_fields__}
    view.update(
        rate=_text(f.collection_rate),
        plan=_text(f.plan_completion),
        target=_text(f.target_completion),
    )
    return view


def line_label(report: Report, line: ReportLine) -> str:
    """A person's or customer's name; a region or channel in the reader's words; "(no
    region)" and the like for a customer without one."""
    if line.label is None:
        return {
            Dimension.region: _("(no region)"),
            Dimension.channel: _("(no channel)"),
        }.get(report.dimension, "—")
    if report.dimension in (Dimension.region, Dimension.channel):
        return pick_label(line.label)
    return line.label


def report_params(report: Report, shown: int = LINES_SHOWN) -> dict[str, Any]:
    period = report.period
    return {
        "period": _(PERIOD_LABELS[period.kind]) if period.kind is not PeriodKind.range else None,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "as_of": report.as_of.isoformat(),
        "scope": _(SCOPE_LABELS[report.scope.value]),
        "dimension": _(DIMENSION_LABELS[report.dimension]),
        "by_product": report.dimension is Dimension.product,
        "total": figures_view(report.total),
        "lines": [
            {"name": line_label(report, line), **figures_view(line.figures)}
            for line in report.lines[:shown]
        ],
        "more": max(len(report.lines) - shown, 0),
    }
