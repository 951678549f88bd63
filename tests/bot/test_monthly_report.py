"""The general manager's monthly report (issue 14): on December's first working day the
company's November by rep, text and chart, once; read in the reader's language; a day outside
the month's first days sends nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from feed import Fed
from order_builders import contract_in_force
from PIL import Image

from bot.core.usecases.monthly_report import send_monthly_reports
from bot.documents.report_chart import snapshot_png
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, fits

DEC_1 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday 09:00 in Shanghai
GM_ID = 2  # Wang Fang's record id


def queued(fed: Fed) -> list[tuple[int, str, dict[str, Any]]]:
    with sqlite3.connect(fed.db_path) as db:
        rows = db.execute(
            "SELECT recipient_id, template, params FROM outbox "
            "WHERE template LIKE 'monthly_report%' ORDER BY id"
        ).fetchall()
    return [(r, t, json.loads(p)) for r, t, p in rows]


async def push(fed: Fed, now: datetime) -> int:
    async with fed.uow() as uow:
        return await send_monthly_reports(uow, policy=fed.app.policy, now=now)


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


async def test_the_general_manager_gets_last_month_once(fed: Fed) -> None:
    await contract_in_force(fed)  # co-signed on Nov 30

    assert await push(fed, DEC_1) == 1
    assert await push(fed, DEC_1) == 0, "claimed: a second run sends nothing"

    sent = queued(fed)
    assert [(r, t) for r, t, _p in sent] == [
        (GM_ID, "monthly_report"),
        (GM_ID, "monthly_report_chart"),
    ]
    params = sent[0][2]
    assert (params["first"], params["last"]) == ("2026-11-01", "2026-11-30")
    assert (params["scope_code"], params["dimension_code"]) == ("company", "rep")
    assert params["total"]["contract_amount"] == "102000.00"
    assert sent[1][2] == params, "the chart is drawn from the same snapshot"


async def test_outside_the_months_first_days_nothing_is_sent(fed: Fed) -> None:
    assert await push(fed, datetime(2026, 11, 23, 2, 0, tzinfo=UTC)) == 0
    assert await push(fed, datetime(2026, 12, 9, 2, 0, tzinfo=UTC)) == 0
    assert queued(fed) == []


async def test_the_report_reads_well_in_each_language(fed: Fed, renderer: Renderer) -> None:
    await contract_in_force(fed)
    await push(fed, DEC_1)
    params = queued(fed)[0][2]

    text = renderer.render("notifications/monthly_report", **params)
    assert fits(text, MESSAGE_LIMIT)
    assert "2026-11" in text.splitlines()[0]
    assert "Zhao Lei" in text
    assert ("The company" in text) or ("公司" in text)
    picture = Image.open(BytesIO(snapshot_png(params, "CNY")))
    assert picture.width == 1080
