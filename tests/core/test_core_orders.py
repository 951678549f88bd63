"""The deal's stages: each needs the one before it, and a refused move names what must happen
next; a deal may be lost until its contract is signed, and a closed or lost deal moves no more."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from bot.core.orders import FORWARD, Deal, DealStage, StageOrder, check_move, moved

S = DealStage
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


@pytest.mark.parametrize(("stage", "to"), list(pairwise(FORWARD)))
def test_each_stage_follows_the_one_before(stage: DealStage, to: DealStage) -> None:
    check_move(stage, to)


@pytest.mark.parametrize(
    ("stage", "to", "needs"),
    [
        (S.negotiating, S.deposit_paid, S.reserved),  # no deposit before the reservation
        (S.negotiating, S.contracted, S.reserved),
        (S.reserved, S.contracted, S.deposit_paid),  # no contract before the deposit
        (S.deposit_paid, S.delivered, S.contracted),  # no contract, no delivery
        (S.contracted, S.paid, S.delivered),
        (S.delivered, S.closed, S.paid),
        (S.contracted, S.reserved, None),  # backwards: already past it
        (S.reserved, S.reserved, None),
    ],
)
def test_a_move_out_of_order_names_what_must_happen_next(
    stage: DealStage, to: DealStage, needs: DealStage | None
) -> None:
    with pytest.raises(StageOrder) as caught:
        check_move(stage, to)
    assert (caught.value.needs, caught.value.over) == (needs, False)


@pytest.mark.parametrize("stage", [S.negotiating, S.reserved, S.deposit_paid])
def test_a_deal_may_be_lost_until_the_contract(stage: DealStage) -> None:
    check_move(stage, S.lost)


@pytest.mark.parametrize("stage", [S.contracted, S.delivered, S.paid])
def test_a_signed_contract_is_not_lost(stage: DealStage) -> None:
    with pytest.raises(StageOrder) as caught:
        check_move(stage, S.lost)
    assert caught.value.needs is None


@pytest.mark.parametrize("stage", [S.closed, S.lost])
@pytest.mark.parametrize("to", list(DealStage))
def test_a_closed_or_lost_deal_moves_no_more(stage: DealStage, to: DealStage) -> None:
    with pytest.raises(StageOrder) as caught:
        check_move(stage, to)
    assert caught.value.over


def test_a_move_records_when_the_stage_was_reached() -> None:
    deal = Deal(1, 7, 3, S.negotiating, NOW, NOW)
    later = NOW.replace(hour=5)
    after = moved(deal, S.reserved, later)
    assert (after.stage, after.stage_at, after.opened_at) == (S.reserved, later, NOW)
    assert not after.over
    assert moved(after, S.lost, later).over
