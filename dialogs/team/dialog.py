from __future__ import annotations

from operator import itemgetter

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Group,
    Row,
    ScrollingGroup,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.states import TeamSG
from dialogs.team import getters, handlers


def _people_select(
    items: str, on_click: object, widget_id: str, when: str | None = None
) -> ScrollingGroup:
    return choice_list(items, widget_id, on_click, when=when)


def team_dialog() -> Dialog:
    back_to_person = SwitchTo(Label("◀ Back"), id="toperson", state=TeamSG.person)
    return Dialog(
        Window(
            Format("{tree}"),
            Row(
                Button(Label("◀ Previous"), id="prev", on_click=handlers.on_page, when="has_prev"),
                Button(Label("Next ▶"), id="next", on_click=handlers.on_page, when="has_next"),
            ),
            _people_select("people", handlers.on_person, "p", when="is_admin"),
            Cancel(Label("Close")),
            buttons_only(),
            state=TeamSG.tree,
            getter=getters.tree_getter,
        ),
        Window(
            Format("{card}"),
            SwitchTo(Label("Change role"), id="role", state=TeamSG.role, when="active"),
            SwitchTo(Label("Change manager"), id="mgr", state=TeamSG.manager, when="active"),
            SwitchTo(Label("Deactivate"), id="deact", state=TeamSG.deactivate, when="active"),
            Button(
                Label("Reactivate"), id="react", on_click=handlers.on_reactivate, when=~F["active"]
            ),
            SwitchTo(Label("◀ Back to the team"), id="totree", state=TeamSG.tree),
            buttons_only(),
            state=TeamSG.person,
            getter=getters.person_getter,
        ),
        Window(
            Tr("New role for <b>{name}</b>:"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="r",
                    item_id_getter=itemgetter(0),
                    items="roles",
                    on_click=handlers.on_role,
                ),
                width=2,
            ),
            back_to_person,
            buttons_only(),
            state=TeamSG.role,
            getter=getters.roles_getter,
        ),
        Window(
            Tr("Change <b>{name}</b> from {old} to {new}?"),
            Button(
                Label("Yes, change the role"), id="yes_role", on_click=handlers.on_role_confirmed
            ),
            SwitchTo(Label("◀ Back"), id="roles", state=TeamSG.role),
            buttons_only(),
            state=TeamSG.role_confirm,
            getter=getters.role_confirm_getter,
        ),
        Window(
            Tr("Who will <b>{name}</b> report to?"),
            _people_select("managers", handlers.on_manager, "m"),
            Button(Label("Nobody (top of the tree)"), id="top", on_click=handlers.on_top),
            back_to_person,
            buttons_only(),
            state=TeamSG.manager,
            getter=getters.managers_getter,
        ),
        Window(
            Tr(
                "Deactivate <b>{name}</b>? They will no longer be able to use the bot.\n"
                "Their direct reports ({reports}) will report to {heir}."
            ),
            Button(Label("Yes, deactivate"), id="yes", on_click=handlers.on_deactivate),
            back_to_person,
            buttons_only(),
            state=TeamSG.deactivate,
            getter=getters.deactivate_getter,
        ),
    )
