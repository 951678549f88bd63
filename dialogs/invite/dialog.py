from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Select, Url
from aiogram_dialog.widgets.text import Format

from bot.core.usecases.team import newcomer_name
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.invite import getters, handlers
from dialogs.states import InviteSG


def invite_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>New invite</b>"),
            Tr("Your open invites (tap one to see its link again):", when="any_open"),
            choice_list("open", "inv", handlers.on_open_invite, height=5, int_ids=False),
            Tr("\nWhat is the newcomer's full name? They join under it, e.g. Li Wei or 李伟."),
            text_field("name", newcomer_name, handlers.on_name),
            Cancel(Label("✖ Cancel")),
            state=InviteSG.name,
            getter=getters.name_getter,
        ),
        Window(
            Tr("<b>New invite</b> · {name}\nWhich role will the newcomer have?"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="role",
                    item_id_getter=itemgetter(0),
                    items="roles",
                    on_click=handlers.on_role,
                ),
            ),
            Back(Label("◀ Back")),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=InviteSG.role,
            getter=getters.roles_getter,
        ),
        Window(
            Tr("<b>New invite</b> · {name}, {role}\nWho will the newcomer report to?"),
            choice_list("managers", "mgr", handlers.on_manager, height=6),
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
            Tr(
                "<b>New invite</b>\nName: {name}\nRole: {role}\nReports to: {manager}\n\n"
                "Create the invite link?"
            ),
            Button(Label("✅ Create invite"), id="create", on_click=handlers.on_create),
            Back(Label("◀ Back")),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=InviteSG.confirm,
            getter=getters.confirm_getter,
        ),
        Window(
            Tr(
                "<b>Invite ready</b> · {name}\n{role}, reports to {manager}\n\n"
                "Send this link to {name}: they join under this name. "
                "It works once and expires on {expires}.\n{link}"
            ),
            Url(Label("📤 Share the link"), url=Format("{share}")),
            Button(Label("➕ Another invite"), id="again", on_click=handlers.on_again),
            Cancel(Label("Done")),
            buttons_only(),
            state=InviteSG.done,
            getter=getters.done_getter,
        ),
    )
