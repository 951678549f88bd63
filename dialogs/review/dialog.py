"""🏅 Monthly reviews: a rep's own reviews and, for a manager, the team's latest month; a
review's figures and every work-log note in pages; the rep's comment, the manager's grade."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.errors import NotFound
from bot.core.review import REVIEW_TEXT_MAX, Grade
from bot.core.usecases import review
from bot.labels import grade_label
from bot.ui.errors import explain
from bot.ui.fit import clip
from bot.ui.inputs import text_field
from bot.ui.paging import paged_text, pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, renderer_of, uow_of
from dialogs.starts import OpenReview
from dialogs.states import ReviewSG

NAME_WIDTH = 24


async def list_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    rows = await review.reviews_list(uow_of(dialog_manager), actor_id=person_of(dialog_manager).id)
    return {
        "rows": [
            (
                row.review_id,
                f"{'✅' if row.grade else '⏳'} {clip(row.rep, NAME_WIDTH)} · "
                f"{row.month.isoformat()[:7]} · {grade_label((row.grade or row.suggested).value)}"
                f"{' 💬' if row.commented else ''}",
            )
            for row in rows
        ],
        "none": not rows,
    }


async def on_open(callback: CallbackQuery, _w: Any, manager: DialogManager, review_id: int) -> None:
    manager.dialog_data.update(review=review_id, notes=0)
    await manager.switch_to(ReviewSG.card)


def _review_id(manager: DialogManager) -> int:
    return int(manager.dialog_data["review"])


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        view = await review.review_view(
            uow_of(dialog_manager),
            actor_id=person_of(dialog_manager).id,
            review_id=_review_id(dialog_manager),
        )
    except NotFound as error:
        return {"notes": explain(error), "can_comment": False, "can_grade": False}
    renderer = renderer_of(dialog_manager)
    params = view.params

    def render(items: Sequence[dict[str, Any]], page: int, pages: int) -> str:
        return renderer.render(
            "performance_review", **{**params, "notes": items, "page": page, "pages": pages}
        )

    return {
        **paged_text(dialog_manager, "notes", params["notes"], render),
        "can_comment": view.can_comment,
        "can_grade": view.can_grade,
        "accept": _("✅ Grade: %(grade)s") % {"grade": grade_label(params["suggested"])},
    }


async def on_comment(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    async with ends_if_refused(manager, message, back_to=ReviewSG.card):
        await review.comment_review(
            uow_of(manager),
            actor_id=person_of(manager).id,
            review_id=_review_id(manager),
            comment=text,
            now=now_of(manager),
        )
        await message.answer(_("Your comment is saved; you may change it until it is graded."))
        await manager.switch_to(ReviewSG.card)


async def _grade(
    manager: DialogManager, event: Message | CallbackQuery, chosen: Grade, reason: str | None
) -> None:
    async with ends_if_refused(manager, event, back_to=ReviewSG.card):
        await review.grade_review(
            uow_of(manager),
            actor_id=person_of(manager).id,
            review_id=_review_id(manager),
            chosen=chosen,
            reason=reason,
            now=now_of(manager),
        )
        await manager.switch_to(ReviewSG.card)


async def on_accept(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    view = None  # a review gone from the grader's sight meanwhile: told, nothing graded
    async with ends_if_refused(manager, callback, back_to=ReviewSG.card):
        view = await review.review_view(
            uow_of(manager), actor_id=person_of(manager).id, review_id=_review_id(manager)
        )
    if view is not None:
        await _grade(manager, callback, view.review.suggested, None)


async def grades_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"grades": [(g.value, grade_label(g.value)) for g in Grade]}


async def on_pick(callback: CallbackQuery, _w: Any, manager: DialogManager, picked: str) -> None:
    if picked not in {g.value for g in Grade}:
        return
    manager.dialog_data["grade"] = picked
    await manager.switch_to(ReviewSG.reason)


async def reason_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"grade": grade_label(dialog_manager.dialog_data.get("grade", Grade.average.value))}


async def on_reason(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    await _grade(manager, message, Grade(manager.dialog_data["grade"]), text)


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened from a review message's button: that review, at the comment or the grades."""
    if (start := OpenReview.read(data)) is not None:
        manager.dialog_data.update(review=start.review, notes=0)


def review_dialog() -> Dialog:
    to_card = SwitchTo(Label("◀ Back"), id="tocard", state=ReviewSG.card)
    return Dialog(
        Window(
            Tr("<b>🏅 Monthly reviews</b>\n✅ graded · ⏳ waiting · 💬 commented"),
            Tr("No reviews yet: they are prepared on each month's first working day.", when="none"),
            choice_list("rows", "r", on_open),
            Cancel(Label("Close")),
            buttons_only(),
            state=ReviewSG.list,
            getter=list_getter,
        ),
        Window(
            Format("{notes}"),
            pager("notes"),
            SwitchTo(
                Label("💬 Add a comment"), id="comment", state=ReviewSG.comment, when="can_comment"
            ),
            Button(Format("{accept}"), id="accept", on_click=on_accept, when="can_grade"),
            SwitchTo(Label("✏️ Another grade"), id="other", state=ReviewSG.grade, when="can_grade"),
            SwitchTo(Label("◀ Back"), id="tolist", state=ReviewSG.list),
            buttons_only(),
            state=ReviewSG.card,
            getter=card_getter,
        ),
        Window(
            Tr("Type your comment for your manager, up to 500 characters:"),
            text_field("why", text_up_to(REVIEW_TEXT_MAX), on_comment),
            to_card,
            state=ReviewSG.comment,
        ),
        Window(
            Tr("Which grade?"),
            choice_list("grades", "g", on_pick, int_ids=False),
            to_card,
            buttons_only(),
            state=ReviewSG.grade,
            getter=grades_getter,
        ),
        Window(
            Tr(
                "Grade {grade}: type the reason for the rep, up to 500 characters "
                "(required when it differs from the suggested grade):"
            ),
            text_field("reason", text_up_to(REVIEW_TEXT_MAX), on_reason),
            to_card,
            state=ReviewSG.reason,
            getter=reason_getter,
        ),
        on_start=on_start,
    )
