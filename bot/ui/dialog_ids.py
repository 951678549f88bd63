"""Dialog ids that do not collide.

aiogram-dialog 2.6 makes a dialog's id from the current second and a random number below 100
(`aiogram_dialog.api.entities.stack.new_int_id`): two dialogs opened in the same second share an
id one time in a hundred. In one chat that is a form and the question it asks (✖ Cancel → "Discard
this?", a card's ✏️ Edit): closing the inner one then deletes the outer one's state with it, and
the person is thrown out of the form ("Stack is broken ... resetting"). The ids here are drawn
from the whole six-character space instead (62⁶ ≈ 5.7 × 10¹⁰), the length aiogram-dialog's own
ids have, so callback data stays as short as before."""

from __future__ import annotations

import secrets

from aiogram_dialog.api.entities import stack

ID_SPACE = 62**6
LIBRARY_INT_ID = stack.new_int_id  # kept to show what it did (tests)


def random_int_id() -> int:
    return 1 + secrets.randbelow(ID_SPACE - 1)


def use_unique_dialog_ids() -> None:
    stack.new_int_id = random_int_id
