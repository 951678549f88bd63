"""The collection analysis's chart, drawn from the pushed message's params in the reader's
language: the reps with the most due and the rest in one bar counted, the overdue money by age
when there is any, and a caption within Telegram's limit."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from test_collection_analysis_fit import widest_report

from bot.core.collection_analysis import ContractMoney, analyse, month_window
from bot.core.contract_terms import Instalment, PaymentSchedule
from bot.core.usecases.collection_report import CollectionReport
from bot.documents.charts import MAX_BARS, WIDTH_PX
from bot.documents.collection_chart import collection_charts, collection_png, has_chart
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import CAPTION_LIMIT, visible_length

D = Decimal


@pytest.fixture(params=["en", "zh"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield str(request.param)


def paid_up_report() -> CollectionReport:
    """One rep's contract, 5,000 due in April and paid in April: nothing overdue."""
    schedule = PaymentSchedule(D(0), (Instalment(date(2026, 4, 10), D(5000)),))
    money = ContractMoney(1, 7, 70, schedule, ((date(2026, 4, 12), D(5000)),))
    analysis = analyse([money], month_window(date(2026, 4, 1), date(2026, 5, 4)))
    return CollectionReport(analysis, {7: "Zhao Lei"}, {70: "Acme"})


def test_the_widest_analysis_draws_the_top_reps_and_the_rest_counted(language: str) -> None:
    params = widest_report().params()
    by_rep, by_age = collection_charts(params, "CNY")
    assert len(by_rep.categories) == MAX_BARS
    more = {"en": "286 more reps", "zh": "另有 286 名销售员"}[language]
    assert by_rep.categories[-1] == more  # the 15th of the top 15, and the 285 after it
    assert by_rep.rest, "drawn pale, not setting the scale"
    shown = sum(by_rep.series[0].values)
    assert shown == D(params["total"]["due"])  # every rep's due is in some bar
    assert by_rep.unit == "¥"
    if language == "zh":
        assert by_rep.title == "按销售员：应收与已回款 · 2026-04"
        assert [s.name for s in by_rep.series] == ["本月应收", "已回款"]
        assert by_age.categories == ("1–30 天", "31–60 天", "61–90 天", "90 天以上")
    else:
        assert [s.name for s in by_rep.series] == ["Due in the month", "Collected against it"]
        assert by_age.title == "Overdue by age"
    assert sum(by_age.series[0].values) == D(params["total"]["overdue"])


def test_the_chart_of_the_widest_analysis_draws_every_glyph(language: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = collection_png(widest_report().params(), "CNY")
    assert [str(w.message) for w in caught] == []
    assert Image.open(BytesIO(png)).size[0] == WIDTH_PX


def test_nothing_overdue_draws_no_ageing_and_an_empty_month_nothing(language: str) -> None:
    params = paid_up_report().params()
    (by_rep,) = collection_charts(params, "USD")
    assert by_rep.categories == ("Zhao Lei",)
    assert not by_rep.rest
    assert [s.values for s in by_rep.series] == [(D(5000),), (D(5000),)]
    assert by_rep.unit == "$"
    assert has_chart(params)
    empty = CollectionReport(
        analyse([], month_window(date(2026, 4, 1), date(2026, 5, 4))), {}, {}
    ).params()
    assert not has_chart(empty)


def test_the_caption_is_short_in_both_languages(language: str) -> None:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(language):
        renderer = Renderer(make_env(i18n, ZoneInfo("Asia/Shanghai")))
        caption = renderer.render("notifications/collection_chart", **widest_report().params())
    assert visible_length(caption) <= CAPTION_LIMIT
    assert caption.startswith("📊 <b>")
    assert "2026-04" in caption
