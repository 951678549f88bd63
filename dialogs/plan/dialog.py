"""/plan: next week's key visits and goals; submit by the due time; today's work log."""

from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Group,
    Select,
    Start,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.core.plans import GOALS_MAX, LOG_NOTE_MAX, PURPOSE_MAX
from bot.core.usecases import targets
from bot.ui.inputs import text_field
from bot.ui.paging import paged_window, pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.picker import Pool, customer_picker
from dialogs.plan import getters, handlers
from dialogs.states import PlanSG, ReviewSG, TeamPlansSG


def _back() -> SwitchTo:
    return SwitchTo(Label("◀ Back to the plan"), id="toplan", state=PlanSG.overview)


def plan_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr(
                "This plan is submitted. Changing it takes it back to a draft, to be submitted "
                "again. Change it?",
                when="submitted",
            ),
            Tr(
                "This plan is approved. Changing it takes it back to a draft, to be submitted "
                "and approved again. Change it?",
                when="approved",
            ),
            Button(Label("✏️ Change it"), id="reopen", on_click=handlers.on_reopen),
            _back(),
            buttons_only(),
            state=PlanSG.reopen,
            getter=getters.reopen_getter,
        ),
        paged_window("this_week", _back(), PlanSG.this_week, getters.this_week_getter),
        Window(
            Format("{overview}"),
            pager("overview"),
            Button(Label("➕ Add a visit"), id="add", on_click=handlers.on_change),
            Button(
                Label("🗑 Remove a visit"),
                id="remove",
                on_click=handlers.on_change,
                when="has_items",
            ),
            Button(Label("🎯 Goals"), id="goals", on_click=handlers.on_change),
            SwitchTo(Label("📅 This week's plan"), id="thisweek", state=PlanSG.this_week),
            Button(
                Label("📨 Submit the plan"),
                id="submit",
                on_click=handlers.on_submit,
                when="can_submit",
            ),
            SwitchTo(Label("📓 Today's work log"), id="log", state=PlanSG.log),
            SwitchTo(Label("🎯 My targets"), id="mytargets", state=PlanSG.targets, when="targeted"),
            Start(
                Label("🏅 Monthly reviews"),
                id="reviews",
                state=ReviewSG.list,
                when="reviewed",
            ),
            Start(
                Label("👥 Team plans and targets"),
                id="team",
                state=TeamPlansSG.list,
                when="manages",
            ),
            Cancel(Label("Close")),
            buttons_only(),
            state=PlanSG.overview,
            getter=getters.overview_getter,
        ),
        customer_picker(
            PlanSG.customer,
            prompt=Tr("Which customer? Type to search."),
            empty=Tr("No customers found. Register one with /customer.", when="none"),
            pool=Pool.open,
            on_picked=handlers.on_customer,
            extra=(_back(),),
        ),
        Window(
            Tr("<b>{customer}</b>: which day?"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="d",
                    item_id_getter=itemgetter(0),
                    items="days",
                    on_click=handlers.on_day,
                ),
                width=3,
            ),
            _back(),
            buttons_only(),
            state=PlanSG.day,
            getter=getters.days_getter,
        ),
        Window(
            Tr("Purpose of the visit? (up to 200 characters)"),
            text_field("purpose", text_up_to(PURPOSE_MAX), handlers.on_purpose),
            _back(),
            state=PlanSG.purpose,
        ),
        Window(
            Tr("Tap a visit to remove it:"),
            choice_list("items", "r", handlers.on_remove),
            _back(),
            buttons_only(),
            state=PlanSG.remove,
            getter=getters.items_getter,
        ),
        Window(
            Tr("Your goals for the week? (up to 1000 characters)"),
            text_field("goals", text_up_to(GOALS_MAX), handlers.on_goals),
            _back(),
            state=PlanSG.goals,
        ),
        Window(
            Format("{log}"),
            pager("log"),
            Tr("\nType a note to add it to today's log."),
            text_field("note", text_up_to(LOG_NOTE_MAX), handlers.on_log_note),
            _back(),
            state=PlanSG.log,
            getter=getters.log_getter,
        ),
        paged_window(
            "progress",
            _back(),
            PlanSG.targets,
            getters.progress_getter(targets.my_progress, mine=True),
        ),
    )
