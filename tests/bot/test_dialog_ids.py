"""Regression: two dialogs opened in the same second got the same id one time in a hundred
(aiogram-dialog's own generator), and closing the inner one deleted the outer one's state."""

from __future__ import annotations

from unittest import mock

from aiogram_dialog.api.entities import stack

from bot.ui.dialog_ids import LIBRARY_INT_ID, random_int_id, use_unique_dialog_ids


def test_regression_dialog_ids_opened_in_the_same_second_collided() -> None:
    with mock.patch("time.time", return_value=1_795_900_000.0):
        own = {stack.id_to_str(LIBRARY_INT_ID()) for _ in range(1000)}
        ours = {stack.id_to_str(random_int_id()) for _ in range(1000)}
    assert len(own) <= 100, "the library's ids within one second: 100 at most"
    assert len(ours) == 1000
    assert max(len(i) for i in ours) <= 6, "as short as the library's: callback data fits"


def test_the_bot_uses_the_unique_ids() -> None:
    use_unique_dialog_ids()
    assert stack.new_int_id is random_int_id
    assert len({stack.new_id() for _ in range(1000)}) == 1000
