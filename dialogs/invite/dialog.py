from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, ScrollingGroup, Select, Url
from aiogram_dialog.widgets.text import Format

from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.invite import getters, handlers
from dialogs.states import InviteSG


def invite_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>New invite</b>\nWhich role will the newcomer have?"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="role",
                    item_id_getter=itemgetter(0),
                    items="roles",
                    on_click=handlers.on_role,
                ),
            ),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=InviteSG.role,
            getter=getters.roles_getter,
        ),
        Window(
            Tr("<b>New invite</b> · {role}\nWho will the newcomer report to?"),
            ScrollingGroup(
                Select(
                    Format("{item[1]}"),
                    id="mgr",
                    item_id_getter=itemgetter(0),
                    items="managers",
                    type_factory=int,
                    on_click=handlers.on_manager,
                ),
                id="mgrs",
                width=1,
                height=6,
                hide_on_single_page=True,
            ),
            Button(
                Label("Nobody (top of the tree)"),
                id="top",
                on_click=handlers.on_top_level,
                when="may_be_top",
            ),
            Back(Label("◀ Back")),
            buttons_only(),
            state=InviteSG.manager,
            getter=getters.managers_getter,
        ),
        Window(
            Tr("<b>New invite</b>\nRole: {role}\nReports to: {manager}\n\nCreate the invite link?"),
            Button(Label("✅ Create invite"), id="create", on_click=handlers.on_create),
            Back(Label("◀ Back")),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=InviteSG.confirm,
            getter=getters.confirm_getter,
        ),
        Window(
            Tr(
                "<b>Invite ready</b> · {role}, reports to {manager}\n\n"
                "Send this link to the newcomer. It works once and expires on {expires}.\n"
                "{link}"
            ),
            Url(Label("📤 Share the link"), url=Format("{share}")),
            Button(Label("➕ Another invite"), id="again", on_click=handlers.on_again),
            Cancel(Label("Done")),
            buttons_only(),
            state=InviteSG.done,
            getter=getters.done_getter,
        ),
    )
