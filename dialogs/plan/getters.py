from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.calendar import is_working_day, local
from bot.core.customers import Visit
from bot.core.plans import PlanStatus, target_months
from bot.core.targets import TargetProgress, is_targeted, progress_params
from bot.core.usecases import plans, worklog
from bot.labels import day_label, weekday_label
from bot.ui.paging import paged_text
from dialogs.common import now_of, person_of, policy_of, renderer_of, uow_of


async def current_plan(manager: DialogManager) -> Any:
    return await plans.my_plan(
        uow_of(manager),
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )


def plan_pages(
    manager: DialogManager, params: dict[str, Any], key: str = "overview"
) -> dict[str, Any]:
    """The plan as `overview`, its visits in pages that fit a message (goals and comment on
    each page)."""
    renderer = renderer_of(manager)

    def render(items: Sequence[dict[str, Any]], page: int, pages: int) -> str:
        return renderer.render(
            "plan_overview",
            **{
                **params,
                "items": items,
                "page": page,
                "pages": pages,
                "total": len(params["items"]),
            },
        )

    return paged_text(manager, key, params["items"], render)


async def reopen_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    plan = await current_plan(dialog_manager)
    return {
        "submitted": plan.status is PlanStatus.submitted,
        "approved": plan.status is PlanStatus.approved,
    }


async def this_week_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    """The week under way, read-only: what was planned for it."""
    plan = await plans.this_week_plan(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        policy=policy_of(dialog_manager),
        now=now_of(dialog_manager),
    )
    if plan is None:
        none = _("No plan was made for this week.")
        return {"this_week": none, "this_week_prev": False, "this_week_next": False}
    params = await plans.plan_params(uow_of(dialog_manager), plan, policy_of(dialog_manager))
    return plan_pages(dialog_manager, params, "this_week")


async def overview_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    plan = await current_plan(dialog_manager)
    dialog_manager.dialog_data["plan"] = plan.id
    params = await plans.plan_params(
        uow_of(dialog_manager), plan, policy_of(dialog_manager), now_of(dialog_manager)
    )
    return {
        **plan_pages(dialog_manager, params),
        "has_items": bool(plan.items),
        "can_submit": plan.status in (PlanStatus.draft, PlanStatus.returned)
        and bool(plan.items or plan.goals),
        "manages": person_of(dialog_manager).manages,
        "targeted": is_targeted(person_of(dialog_manager)),
        "reviewed": is_targeted(person_of(dialog_manager)) or person_of(dialog_manager).manages,
    }


async def days_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    plan = await current_plan(dialog_manager)
    policy = policy_of(dialog_manager)
    days = [plan.week + timedelta(days=offset) for offset in range(7)]
    return {
        "customer": dialog_manager.dialog_data.get("customer_name", "—"),
        "days": [(day.isoformat(), day_label(day)) for day in days if is_working_day(day, policy)],
    }


async def items_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    items = await plans.my_plan_items(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        policy=policy_of(dialog_manager),
        now=now_of(dialog_manager),
    )
    return {
        "items": [
            (item.id, f"✖ {weekday_label(item.day.weekday())} · {customer}")
            for item, customer in items
        ]
    }


async def log_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    today: date = local(now_of(dialog_manager), policy_of(dialog_manager)).date()
    log = await worklog.work_log(
        uow_of(dialog_manager), actor_id=person_of(dialog_manager).id, day=today
    )
    renderer = renderer_of(dialog_manager)

    def render(visits: Sequence[tuple[Visit, str]], page: int, pages: int) -> str:
        return renderer.render(
            "work_log",
            day=log.day.isoformat(),
            visits=visits,
            note=log.note,
            page=page,
            pages=pages,
        )

    return paged_text(dialog_manager, "log", log.visits, render)


def progress_pages(
    manager: DialogManager, progress: Sequence[TargetProgress], *, mine: bool
) -> dict[str, Any]:
    """Targets versus this month so far as `progress`, the reps in pages that fit a message."""
    renderer = renderer_of(manager)
    this, following = target_months(now_of(manager), policy_of(manager))
    rows = [progress_params(row) for row in progress]

    def render(items: Sequence[dict[str, Any]], page: int, pages: int) -> str:
        return renderer.render(
            "target_progress",
            items=items,
            page=page,
            pages=pages,
            mine=mine,
            this_month=this.isoformat()[:7],
            next_month=following.isoformat()[:7],
        )

    return paged_text(manager, "progress", rows, render)


ProgressRead = Callable[..., Awaitable[Sequence[TargetProgress]]]


def progress_getter(read: ProgressRead, *, mine: bool) -> Callable[..., Awaitable[dict[str, Any]]]:
    """The getter of a progress window: `read` is the rep's own or the manager's team's."""

    async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
        progress = await read(
            uow_of(dialog_manager),
            actor_id=person_of(dialog_manager).id,
            policy=policy_of(dialog_manager),
            now=now_of(dialog_manager),
        )
        return progress_pages(dialog_manager, progress, mine=mine)

    return getter
