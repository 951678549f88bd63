"""/report as the reader sees it: the choices' labels, the refusals' sentences, and the report
as its template reads it (decimals as strings; None where a measure has no meaning, shown "—").
The chart and the export read the same `report_params`."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.core.reports import Dimension, PeriodKind, PeriodRefused, Report
from bot.core.usecases.report import report_snapshot
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


def line_name(dimension: Dimension, label: str | None) -> str:
    """A person's or customer's name; a region or channel in the reader's words; "(no
    region)" and the like for a customer without one."""
    if label is None:
        return {
            Dimension.region: _("(no region)"),
            Dimension.channel: _("(no channel)"),
        }.get(dimension, "—")
    if dimension in (Dimension.region, Dimension.channel):
        return pick_label(label)
    return label


def localized(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A report's snapshot (`report.report_snapshot`) in the reader's words: the period,
    scope and dimension named, each line's label as the reader reads it."""
    dimension = Dimension(snapshot["dimension_code"])
    kind = PeriodKind(snapshot["period_kind"])
    return {
        **snapshot,
        "period": _(PERIOD_LABELS[kind]) if kind is not PeriodKind.range else None,
        "scope": _(SCOPE_LABELS[snapshot["scope_code"]]),
        "dimension": _(DIMENSION_LABELS[dimension]),
        "lines": [
            {**line, "name": line_name(dimension, line["label"])} for line in snapshot["lines"]
        ],
    }


def report_params(report: Report, shown: int = LINES_SHOWN) -> dict[str, Any]:
    return localized(report_snapshot(report, shown))
