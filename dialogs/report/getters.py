from __future__ import annotations

import time
from collections import OrderedDict
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from aiogram_dialog import DialogManager

from bot.core.errors import DomainError
from bot.core.reports import (
    Dimension,
    Period,
    PeriodKind,
    Report,
    ReportScope,
    period_of,
    scopes_of,
)
from bot.core.usecases.report import report
from bot.documents.report_chart import has_chart
from bot.rendering import Renderer
from bot.ui.errors import explain
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.report_view import (
    DIMENSION_LABELS,
    PERIOD_LABELS,
    SCOPE_LABELS,
    choices,
    report_params,
)
from dialogs.common import now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.report.handlers import today_of

CHOICES = ("kind", "first", "last", "scope", "dimension")


async def period_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"kinds": choices(PERIOD_LABELS)}


async def scope_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    allowed = {s.value for s in scopes_of(person_of(dialog_manager).role)}
    return {"scopes": choices(SCOPE_LABELS, allowed)}


async def dimension_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"dimensions": choices(DIMENSION_LABELS)}


def _period(data: dict[str, Any], today: date) -> Period:
    kind = PeriodKind(data["kind"])
    if kind is PeriodKind.range:
        return Period(kind, date.fromisoformat(data["first"]), date.fromisoformat(data["last"]))
    return period_of(kind, today)


# A tap on the result window draws it again to check the button (bot/ui/shown.py), the chart
# or workbook needs the report, and the window is drawn once more under the file: one report
# computed for all three, not three. Kept a minute, per person, role and choices, on the
# running app (its renderer): another app in the same process (a test) never sees it.
REUSE_SECONDS = 60
REUSE_MAX = 32
Recent = OrderedDict[tuple[Any, ...], tuple[float, Report]]
_recent: WeakKeyDictionary[Renderer, Recent] = WeakKeyDictionary()


async def the_report(manager: DialogManager) -> Report:
    """The report the form's choices ask for, its scope checked by the use case."""
    data = manager.dialog_data
    person, today = person_of(manager), today_of(manager)
    key = (person.id, person.role, today, *(data.get(k) for k in CHOICES))
    clock = time.monotonic()
    recent = _recent.setdefault(renderer_of(manager), OrderedDict())
    if (hit := recent.get(key)) is not None and clock - hit[0] < REUSE_SECONDS:
        return hit[1]
    found = await report(
        uow_of(manager),
        person.id,
        _period(data, today),
        ReportScope(data["scope"]),
        Dimension(data["dimension"]),
        policy=policy_of(manager),
        now=now_of(manager),
    )
    recent[key] = (clock, found)
    while len(recent) > REUSE_MAX:
        recent.popitem(last=False)
    return found


async def result_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        found = await the_report(dialog_manager)
    except DomainError as error:
        return {"text": explain(error), "shown": False, "drawn": False}
    params = report_params(found)
    text = renderer_of(dialog_manager).render_within("report", params, WINDOW_LIMIT)
    return {"text": text, "shown": True, "drawn": has_chart(params)}
