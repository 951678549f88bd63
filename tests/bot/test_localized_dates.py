"""Dates speak the reader's language: the calendar's month and weekday names, and the weekday
in due times ("due Fri 11-27 18:00" / "截止 周五 11-27 18:00")."""

from __future__ import annotations

import re

import pytest
from harness import Sandbox

MANAGER_EN, VP_ZH = 1003, 1002
REP_EN, REP_ZH = 1005, 1006


@pytest.mark.parametrize(
    ("user_id", "settings", "away", "add", "header", "weekdays"),
    [
        (
            MANAGER_EN,
            "/settings",
            "🏖 Away and delegate",
            "➕ Set an away period",
            r"🗓 [A-Z][a-z]+ \d{4}",
            ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        ),
        (
            VP_ZH,
            "/settings",
            "🏖 外出与委托",
            "➕ 设置外出时段",
            r"🗓 \d{4}年\d{1,2}月",
            ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
        ),
    ],
    ids=["en", "zh"],
)
async def test_the_calendar_names_months_and_weekdays_in_the_readers_language(
    demo: Sandbox,
    user_id: int,
    settings: str,
    away: str,
    add: str,
    header: str,
    weekdays: list[str],
) -> None:
    user = demo.user(user_id)
    await user.send(settings)
    await user.tap(away)
    await user.tap(add)
    labels = user.buttons()
    assert any(re.fullmatch(header, label) for label in labels), labels
    assert [label for label in labels if label in weekdays] == weekdays


@pytest.mark.parametrize(
    ("user_id", "due"),
    [(REP_EN, "due Fri 11-27 18:00"), (REP_ZH, "截止 周五 11-27 18:00")],
    ids=["en", "zh"],
)
async def test_the_plan_due_time_names_the_weekday_in_the_readers_language(
    demo: Sandbox, user_id: int, due: str
) -> None:
    user = demo.user(user_id)
    await user.send("/plan")
    assert due in user.last_text()
