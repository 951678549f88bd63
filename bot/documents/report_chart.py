"""A report as a picture, beside its text: contracts and money collected by the report's lines
(delivered instead of collected, by product), and the visits (first and revisits) where they
have a meaning. Drawn from the report's localized parameters (`report_view.localized`), so the
monthly push carries only its snapshot through the outbox and is drawn in the reader's
language at send time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.documents.charts import BarChart, fold, render
from bot.rendering import CURRENCY_SIGNS
from bot.ui.report_view import localized

ZERO = Decimal(0)


def _value(line: Mapping[str, Any], name: str) -> Decimal:
    value = line.get(name)
    return ZERO if value is None else Decimal(value)


def _more(count: int) -> str:
    return ngettext("%(num)s more", "%(num)s more", count) % {"num": count}


def _rows(params: Mapping[str, Any], names: Sequence[str]) -> tuple[list[Any], list[int]]:
    """Each shown line's values, and the lines past them summed as one "N more" row."""
    rows = [(line["name"], tuple(_value(line, n) for n in names)) for line in params["lines"]]
    counts = [1] * len(rows)
    if params.get("rest"):
        rows.append((_more(params["more"]), tuple(_value(params["rest"], n) for n in names)))
        counts.append(params["more"])
    return rows, counts


def _chart(
    params: Mapping[str, Any], title: str, names: Sequence[str], labels: Sequence[str], unit: str
) -> BarChart:
    rows, counts = _rows(params, names)
    return fold(title, rows, labels, _more, counts=counts, unit=unit)


def has_chart(params: Mapping[str, Any]) -> bool:
    """Whether there is anything to draw: contracts, money or visits on some line (a period
    of targets and plans alone would be a picture of empty bars)."""
    total = params["total"]
    shown = ("contract_amount", "collected", "delivered", "visits")
    return bool(params["lines"]) and any(_value(total, name) for name in shown)


def report_charts(params: Mapping[str, Any], currency: str) -> tuple[BarChart, ...]:
    unit = CURRENCY_SIGNS.get(currency, "")
    heading = f"{params['dimension']} · {params['first']} – {params['last']}"
    if params["by_product"]:
        money = ("contract_amount", "delivered"), (_("Contracts"), _("Delivered"))
    else:
        money = ("contract_amount", "collected"), (_("Contracts"), _("Collected"))
    charts = [_chart(params, heading, *money, unit)]
    total = params["total"]
    if total.get("visits") not in (None, "0"):
        charts.append(
            _chart(
                params,
                _("Visits"),
                ("first_visits", "revisits"),
                (_("First visits"), _("Revisits")),
                "",
            )
        )
    return tuple(charts)


def report_png(params: Mapping[str, Any], currency: str) -> bytes:
    """The picture of a localized report, as PNG bytes (blocking: run it off the loop)."""
    return render(*report_charts(params, currency))


def snapshot_png(snapshot: Mapping[str, Any], currency: str) -> bytes:
    """The picture of a report's snapshot (the monthly push's outbox params), localized in
    the reader's language at send time."""
    return report_png(localized(dict(snapshot)), currency)
