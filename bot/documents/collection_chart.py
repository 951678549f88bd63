"""The collection analysis as a picture, beside its text: due and collected by rep (the reps
with the most due, the rest in one bar) and, when money is overdue, the overdue money by age.

Drawn from the analysis's message parameters (`CollectionReport.params()`), so the monthly push
carries only those through the outbox and the picture is drawn at send time, in the reader's
language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.documents.charts import BarChart, Series, fold, render
from bot.rendering import CURRENCY_SIGNS

AGES = ("1–30 days", "31–60 days", "61–90 days", "over 90 days")  # AGEING_LIMITS' buckets


def has_chart(params: Mapping[str, Any]) -> bool:
    """Whether the analysis has a rep to draw (an empty month has no picture)."""
    return bool(params["reps"]["top"])


def collection_charts(params: Mapping[str, Any], currency: str) -> tuple[BarChart, ...]:
    unit = CURRENCY_SIGNS.get(currency, "")
    charts = [_by_rep(params, unit)]
    total = params["total"]
    if total["late"]:
        charts.append(
            BarChart(
                _("Overdue by age"),
                tuple(_(age) for age in AGES),
                (Series(_("Overdue"), tuple(Decimal(a) for a in total["ageing"])),),
                unit,
            )
        )
    return tuple(charts)


def _by_rep(params: Mapping[str, Any], unit: str) -> BarChart:
    reps = params["reps"]
    rows: list[tuple[str, Sequence[Decimal]]] = [
        (r["name"], (Decimal(r["due"]), Decimal(r["applied"]))) for r in reps["top"]
    ]
    counts = [1] * len(rows)
    if reps["rest"]:
        rest = reps["rest"]
        rows.append(
            (_more_reps(reps["rest_count"]), (Decimal(rest["due"]), Decimal(rest["applied"])))
        )
        counts.append(reps["rest_count"])
    return fold(
        _("Due and collected by rep · %(month)s") % {"month": params["month"]},
        rows,
        (_("Due in the month"), _("Collected against it")),
        _more_reps,
        counts=counts,
        unit=unit,
    )


def _more_reps(count: int) -> str:
    return ngettext("%(num)s more rep", "%(num)s more reps", count) % {"num": count}


def collection_png(params: Mapping[str, Any], currency: str) -> bytes:
    """The picture as PNG bytes (blocking: run it off the event loop)."""
    return render(*collection_charts(params, currency))
