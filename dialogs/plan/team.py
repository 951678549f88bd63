"""For managers: the team's plans for next week (review them) and monthly targets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.deals import COMMENT_MAX, parse_amount, parse_decimal, parse_quantity
from bot.core.errors import NotFound
from bot.core.plans import target_months
from bot.core.usecases import plans, targets
from bot.rendering import money, units
from bot.ui.errors import explain
from bot.ui.inputs import text_field
from bot.ui.paging import paged_window, pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.plan.getters import plan_pages, progress_getter
from dialogs.plan.meeting import pack_windows
from dialogs.starts import ReviewPlan
from dialogs.states import ReviewSG, TeamPlansSG

MARK = {"submitted": "📨", "approved": "✅", "returned": "↩️", "draft": "✏️"}


async def list_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    team = await plans.team_week(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        policy=policy_of(dialog_manager),
        now=now_of(dialog_manager),
    )
    rows = []
    for rep, plan in sorted(team.plans, key=lambda row: row[0].full_name):
        mark = MARK.get(plan.status.value, "") if plan else "⏳"
        rows.append(
            (
                plan.id if plan else -rep.id,
                f"{mark} {rep.full_name} · {len(plan.items) if plan else 0}",
            )
        )
    return {
        "rows": rows,
        "week": team.week.isoformat(),
        "reps": [(rep.id, rep.full_name) for rep, _plan in team.plans],
    }


async def plan_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        review = await plans.review_view(
            uow_of(dialog_manager),
            actor_id=person_of(dialog_manager).id,
            plan_id=int(dialog_manager.dialog_data["plan"]),
            policy=policy_of(dialog_manager),
            now=now_of(dialog_manager),
        )
    except NotFound as error:
        return {"overview": explain(error), "reviewable": False}
    return {**plan_pages(dialog_manager, review.params), "reviewable": review.reviewable}


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, plan_id: int
) -> None:
    if plan_id < 0:
        await callback.answer(_("No plan yet for next week."), show_alert=True)
        return
    manager.dialog_data.update(plan=plan_id, overview=0)
    await manager.switch_to(TeamPlansSG.plan)


async def _review(manager: DialogManager, action: str, comment: str | None) -> None:
    await plans.review(
        uow_of(manager),
        actor_id=person_of(manager).id,
        plan_id=int(manager.dialog_data["plan"]),
        action=action,
        comment=comment,
        policy=policy_of(manager),
        now=now_of(manager),
    )


async def on_approve(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=TeamPlansSG.list):
        await _review(manager, "approve", None)
        await manager.switch_to(TeamPlansSG.list)


async def on_comment_kind(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["action"] = button.widget_id
    await manager.switch_to(TeamPlansSG.comment)


async def on_comment(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    back_to = None if _from_card(manager) else TeamPlansSG.list
    async with ends_if_refused(manager, message, back_to=back_to):
        await _review(manager, manager.dialog_data.get("action", "comment"), text)
        await manager.switch_to(TeamPlansSG.list)


async def on_target_rep(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, rep_id: int
) -> None:
    reps = {r.id: r for r in await targets.team_reps(uow_of(manager), person_of(manager).id)}
    if rep_id in reps:
        manager.dialog_data.update(rep=rep_id, rep_name=reps[rep_id].full_name)
        await manager.switch_to(TeamPlansSG.target_month)


def _months(manager: DialogManager) -> tuple[date, date]:
    return target_months(now_of(manager), policy_of(manager))


async def month_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    this, following = _months(dialog_manager)
    return {
        "months": [
            (this.isoformat(), _("This month · %(month)s") % {"month": this.isoformat()[:7]}),
            (
                following.isoformat(),
                _("Next month · %(month)s") % {"month": following.isoformat()[:7]},
            ),
        ],
        "month": dialog_manager.dialog_data.get("month", this.isoformat())[:7],
    }


async def on_target_month(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, month: str
) -> None:
    if month in {m.isoformat() for m in _months(manager)}:
        manager.dialog_data["month"] = month
        await manager.switch_to(TeamPlansSG.target_sales)


FigureHandler = Callable[
    [Message, ManagedTextInput[Decimal], DialogManager, Decimal], Awaitable[None]
]


def keep_figure(key: str, then: State) -> FigureHandler:
    """A typed figure of the target kept as text (dialog data is JSON), then `then`."""

    async def keep(
        message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
    ) -> None:
        manager.dialog_data[key] = str(value)
        await manager.switch_to(then)

    return keep


async def on_no_quantity(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data["quantity"] = "0"
    await manager.switch_to(TeamPlansSG.target_collection)


async def target_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    currency = policy_of(dialog_manager).currency
    return {
        "rep": data.get("rep_name", "—"),
        "month": data.get("month", "")[:7],
        "sales": money(data.get("sales", "0"), currency),
        "quantity": units(data.get("quantity", "0")),
        "collection": money(data.get("collection", "0"), currency),
    }


async def on_target_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    await targets.set_target(
        uow_of(manager),
        actor_id=person_of(manager).id,
        rep_id=int(data["rep"]),
        month=date.fromisoformat(data["month"]),
        figures=targets.TargetFigures(
            sales=Decimal(data["sales"]),
            quantity=Decimal(data.get("quantity", "0")),
            collection=Decimal(data["collection"]),
        ),
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await callback.answer(_("Target sent. The rep will confirm it."))
    await manager.switch_to(TeamPlansSG.list)


def _or_zero(parse: Callable[[str], Decimal]) -> Callable[[str], Decimal]:
    """`parse`, and a typed 0 for none (a target without a collection or a quantity)."""

    def read(text: str) -> Decimal:
        if parse_decimal(text, places=3) == 0:
            return Decimal(0)
        return parse(text)

    return read


def _from_card(manager: DialogManager) -> bool:
    """Opened from a plan card's Comment or Return: the comment form is the whole dialog."""
    return ReviewPlan.read(manager.start_data) is not None


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened from a plan card's Comment or Return: straight to the text, for that plan."""
    if (start := ReviewPlan.read(data)) is not None:
        manager.dialog_data.update(plan=start.plan, action=start.action)


def team_plans_dialog() -> Dialog:
    back = SwitchTo(Label("◀ Back"), id="tolist", state=TeamPlansSG.list)
    return Dialog(
        Window(
            Tr(
                "<b>Team plans for the week of {week}</b>\n📨 submitted · ✅ approved · ↩️ returned · ✏️ draft · ⏳ none"
            ),
            choice_list("rows", "p", on_open),
            SwitchTo(Label("🎯 Set a monthly target"), id="target", state=TeamPlansSG.target_rep),
            SwitchTo(Label("📊 Targets so far"), id="progress", state=TeamPlansSG.progress),
            SwitchTo(Label("🗓 Meeting pack"), id="pack", state=TeamPlansSG.pack),
            Start(Label("🏅 Monthly reviews"), id="reviews", state=ReviewSG.list),
            Cancel(Label("Close")),
            buttons_only(),
            state=TeamPlansSG.list,
            getter=list_getter,
        ),
        Window(
            Format("{overview}"),
            pager("overview"),
            Row(
                Button(Label("✅ Approve"), id="approve", on_click=on_approve, when="reviewable"),
                Button(
                    Label("💬 Comment"), id="comment", on_click=on_comment_kind, when="reviewable"
                ),
                Button(Label("↩️ Return"), id="return", on_click=on_comment_kind, when="reviewable"),
            ),
            back,
            buttons_only(),
            state=TeamPlansSG.plan,
            getter=plan_getter,
        ),
        Window(
            Tr("Type your comment or the reason, up to 500 characters:"),
            text_field("why", text_up_to(COMMENT_MAX), on_comment),
            back,
            state=TeamPlansSG.comment,
        ),
        Window(
            Tr("Whose monthly target?"),
            choice_list("reps", "t", on_target_rep),
            back,
            buttons_only(),
            state=TeamPlansSG.target_rep,
            getter=list_getter,
        ),
        Window(
            Tr("Which month is the target for?"),
            choice_list("months", "m", on_target_month, int_ids=False),
            back,
            buttons_only(),
            state=TeamPlansSG.target_month,
            getter=month_getter,
        ),
        Window(
            Tr("Sales target for {month}?"),
            text_field("sales", parse_amount, keep_figure("sales", TeamPlansSG.target_quantity)),
            back,
            state=TeamPlansSG.target_sales,
            getter=month_getter,
        ),
        Window(
            Tr("Quantity target for {month}, in units? Type 0 or tap No quantity if none."),
            text_field(
                "quantity",
                _or_zero(parse_quantity),
                keep_figure("quantity", TeamPlansSG.target_collection),
            ),
            Button(Label("No quantity"), id="noqty", on_click=on_no_quantity),
            back,
            state=TeamPlansSG.target_quantity,
            getter=month_getter,
        ),
        Window(
            Tr("Collection target for {month}?"),
            text_field(
                "collection",
                _or_zero(parse_amount),
                keep_figure("collection", TeamPlansSG.target_confirm),
            ),
            back,
            state=TeamPlansSG.target_collection,
            getter=month_getter,
        ),
        Window(
            Tr(
                "Target for {rep}, {month}: sales {sales}, quantity {quantity}, "
                "collection {collection}. Send it?"
            ),
            Button(Label("📨 Send"), id="send", on_click=on_target_save),
            back,
            buttons_only(),
            state=TeamPlansSG.target_confirm,
            getter=target_getter,
        ),
        paged_window(
            "progress",
            back,
            TeamPlansSG.progress,
            progress_getter(targets.team_progress, mine=False),
        ),
        *pack_windows(back),
        on_start=on_start,
    )
