"""The /report window at its widest stays whole within Telegram's limit in English and Chinese:
300 lines with the longest names and twelve-digit figures in every measure show the totals,
the top lines and "… and N more", never cut."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.deals import CUSTOMER_NAME_MAX
from bot.core.models import NAME_MAX
from bot.core.reports import (
    ALL_FAMILIES,
    Dimension,
    Figures,
    Period,
    PeriodKind,
    Report,
    ReportLine,
    ReportScope,
    zero,
)
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import WINDOW_LIMIT, visible_length
from bot.ui.report_view import LINES_SHOWN, report_params

BIG = Decimal("999999999999.99")


def widest(dimension: Dimension, name: str) -> Report:
    zeros = zero(ALL_FAMILIES)
    full = Figures(
        **{
            f: BIG if isinstance(getattr(zeros, f), Decimal) else 999_999_999
            for f in Figures.__dataclass_fields__
        }
    )
    lines = tuple(ReportLine(n, name, full) for n in range(300))
    period = Period(PeriodKind.range, date(2025, 12, 15), date(2026, 12, 14))
    return Report(period, date(2026, 12, 15), ReportScope.company, dimension, lines, full)


@pytest.fixture(params=["en", "zh"])
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))


@pytest.mark.parametrize(
    ("dimension", "name"),
    [
        (Dimension.rep, "長" * NAME_MAX),
        (Dimension.customer, "W" * CUSTOMER_NAME_MAX),
        (Dimension.product, "產" * 200),
    ],
)
def test_the_widest_report_fits_whole_in_a_window(
    renderer: Renderer, dimension: Dimension, name: str
) -> None:
    text = renderer.render_within("report", report_params(widest(dimension, name)), WINDOW_LIMIT)
    assert visible_length(text) <= WINDOW_LIMIT, visible_length(text)
    assert text.count("•") == LINES_SHOWN
    assert "285" in text  # … and 285 more
    assert "¥999,999,999,999.99" in text
