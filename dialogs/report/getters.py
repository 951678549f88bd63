from __future__ import annotations

from datetime import date
from typing import Any

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


async def the_report(manager: DialogManager) -> Report:
    """The report the form's choices ask for, its scope checked by the use case."""
    data = manager.dialog_data
    return await report(
        uow_of(manager),
        person_of(manager).id,
        _period(data, today_of(manager)),
        ReportScope(data["scope"]),
        Dimension(data["dimension"]),
        policy=policy_of(manager),
        now=now_of(manager),
    )


async def result_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        found = await the_report(dialog_manager)
    except DomainError as error:
        return {"text": explain(error), "shown": False, "drawn": False}
    params = report_params(found)
    text = renderer_of(dialog_manager).render_within("report", params, WINDOW_LIMIT)
    return {"text": text, "shown": True, "drawn": has_chart(params)}
