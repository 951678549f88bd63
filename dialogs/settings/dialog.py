from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Cancel, Column, Select, Start
from aiogram_dialog.widgets.text import Format

from bot.core.usecases import team
from bot.i18n import LANGUAGES
from bot.labels import LANGUAGE_LABELS
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import person_of, uow_of
from dialogs.states import AwaySG, SettingsSG


async def settings_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    current = I18n.get_current(no_error=False).current_locale
    return {
        "manages": person_of(dialog_manager).manages,
        "language": LANGUAGE_LABELS[current],
        "languages": [
            (code, ("✓ " if code == current else "") + LANGUAGE_LABELS[code]) for code in LANGUAGES
        ],
    }


async def on_language(
    callback: CallbackQuery, _widget: Select[str], manager: DialogManager, language: str
) -> None:
    if language not in LANGUAGES:
        await callback.answer(_("That did not work. Nothing was changed."), show_alert=True)
        return
    await team.set_language(uow_of(manager), person_id=person_of(manager).id, language=language)
    I18n.get_current(
        no_error=False
    ).current_locale = language  # the rest of this update speaks the new language


def settings_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>Settings</b>\nLanguage: {language}\n\nChoose the language I speak to you in:"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="lang",
                    item_id_getter=itemgetter(0),
                    items="languages",
                    on_click=on_language,
                )
            ),
            Start(Label("🏖 Away and delegate"), id="away", state=AwaySG.overview, when="manages"),
            Cancel(Label("Done")),
            buttons_only(),
            state=SettingsSG.main,
            getter=settings_getter,
        )
    )
