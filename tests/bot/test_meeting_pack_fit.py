"""The meeting pack at the longest inputs, in English and Chinese: the Saturday message (and the
same view in /plan) fits Telegram for 1, 15 and 200 reps with the longest names, amounts and
topic; the PDF prints every rep's part whole; the reception record of a customer with 500
visits renders in reasonable time and reads back whole."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from bot.core.customers import (
    ADDRESS_MAX,
    CONTACT_MAX,
    NEXT_STEP_MAX,
    OUTCOME_MAX,
    Customer,
    CustomerStatus,
    Visit,
)
from bot.core.deals import CUSTOMER_NAME_MAX
from bot.core.meeting import (
    TOPIC_MAX,
    KeyVisit,
    MeetingPack,
    OpenDeal,
    OverdueMoney,
    PlannedVisit,
    RepPack,
)
from bot.core.models import NAME_MAX
from bot.core.orders import DealStage
from bot.core.plans import PURPOSE_MAX, PlanItem
from bot.core.usecases.customers import ReceptionRecord
from bot.core.usecases.meeting import summary_params
from bot.documents.meeting_pack import meeting_pack_document
from bot.documents.pdf import render_pdf
from bot.documents.reception import reception_document
from bot.i18n import make_i18n
from bot.rendering import Renderer, make_env
from bot.ui.fit import MESSAGE_LIMIT, WINDOW_LIMIT, visible_length

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
WEEK, THIS_WEEK = date(2026, 11, 30), date(2026, 11, 23)
BIG = Decimal("999999999999.99")


def longest(label: str, limit: int, fill: str = "x") -> str:
    return (label + " " + fill * limit)[:limit]


@pytest.fixture(params=["en", "zh"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale(request.param):
        yield request.param


@pytest.fixture
def renderer(language: str) -> Renderer:
    i18n = make_i18n("en")
    return Renderer(make_env(i18n, TZ))


def visit(n: int, fill: str = "x", day: date = THIS_WEEK) -> Visit:
    return Visit(
        id=n,
        customer_id=1,
        rep_id=1,
        kind="revisit",
        visited_on=day,
        logged_at=NOW,
        outcome=longest(f"Outcome {n}", OUTCOME_MAX, fill),
        intent="high",
        next_step=longest(f"Next {n}", NEXT_STEP_MAX, fill),
        next_follow_up=day + timedelta(days=3),
        far=n % 2 == 0,
    )


def rep(n: int, fill: str = "x") -> RepPack:
    customer = longest(f"Customer {n}", CUSTOMER_NAME_MAX, fill)
    item = PlanItem(n, n, 1, THIS_WEEK, longest(f"Purpose {n}", PURPOSE_MAX, fill))
    return RepPack(
        rep_id=n,
        name=longest(f"Rep {n}", NAME_MAX, fill),
        status="late",
        planned=[PlannedVisit(item, customer, visit(n, fill)), PlannedVisit(item, customer, None)],
        unplanned=[(visit(n + 1, fill), customer)],
        key_visits=[KeyVisit(item, customer)] * 3,
        deals=[OpenDeal(customer, DealStage.deposit_paid, BIG, NOW)] * 3,
        overdue=[OverdueMoney("HT-2026-9999", customer, BIG, 9999)] * 2,
    )


def pack(reps: int, fill: str = "x") -> MeetingPack:
    return MeetingPack(
        WEEK,
        longest("Manager", NAME_MAX, fill),
        NOW + timedelta(minutes=30),
        longest("Topic", TOPIC_MAX, fill),
        [rep(n, fill) for n in range(reps)],
    )


@pytest.mark.parametrize("reps", [1, 15, 200])
@pytest.mark.parametrize("limit", [MESSAGE_LIMIT, WINDOW_LIMIT], ids=["message", "window"])
def test_the_saturday_message_fits_at_the_longest_inputs(
    renderer: Renderer, language: str, reps: int, limit: int
) -> None:
    text = renderer.render_within(
        "notifications/meeting_summary", summary_params(pack(reps)), limit
    )

    assert visible_length(text) <= limit, text
    assert "PDF" in text  # the pointer to the full pack survives
    assert ("…" in text) == (reps == 200) or reps == 15
    if reps == 1:  # the designed form, nothing cut
        assert longest("Topic", TOPIC_MAX) in text
        assert "¥2,999,999,999,999.97" in text  # three deals of the largest amount


def test_with_200_reps_the_message_says_how_many_more(renderer: Renderer, language: str) -> None:
    text = renderer.render_within("notifications/meeting_summary", summary_params(pack(200)))

    assert "192" in text or "185" in text  # "… and 185 more" (designed) or 192 (short form)


@pytest.mark.parametrize("fill", ["x", "销"], ids=["latin", "chinese"])
def test_the_pack_pdf_prints_every_rep_whole(language: str, fill: str) -> None:
    document = meeting_pack_document(pack(3, fill), TZ, "CNY", NOW)

    pages = [p.extract_text() for p in PdfReader(BytesIO(render_pdf(document))).pages]

    whole = "".join("".join(pages).split())
    assert len(pages) >= 3
    for n in range(3):
        assert "".join(longest(f"Rep {n}", NAME_MAX, fill).split()) in whole
        assert "".join(longest(f"Purpose {n}", PURPOSE_MAX, fill).split()) in whole
    assert "".join(longest("Topic", TOPIC_MAX, fill).split()) in whole
    assert "?" not in whole


def record(visits: list[Visit]) -> ReceptionRecord:
    customer = Customer(
        id=7,
        name=longest("上海华东精密机械有限公司", CUSTOMER_NAME_MAX, "机"),
        owner_id=1,
        status=CustomerStatus.qualified,
        created_at=NOW,
        phone="+8613800138000",
        contact_name=longest("王经理", CONTACT_MAX, "王"),
        address=longest("上海市浦东新区", ADDRESS_MAX, "路"),
        industry="manufacturing",
        region="east",
    )
    return ReceptionRecord(customer, "孙丽", visits, {1: "孙丽"})


def typical(n: int) -> Visit:
    """A visit as reps write them: a sentence or two, a short next step."""
    return replace(
        visit(n, day=THIS_WEEK - timedelta(days=n)),
        outcome=f"第{n}次：客户来公司参观，对DN50钢管有兴趣，比较了三家供应商的价格和交货期。",
        next_step="寄送报价单和样品",
    )


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_reception_record_prints_the_longest_visits_whole(language: str) -> None:
    visits = [visit(n, "访", THIS_WEEK - timedelta(days=n)) for n in range(3)]

    pdf = render_pdf(reception_document(record(visits), TZ, NOW))

    whole = flat("".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages))
    assert flat(record(visits).customer.name) in whole
    assert flat(longest("上海市浦东新区", ADDRESS_MAX, "路")) in whole
    for n in range(3):
        assert flat(longest(f"Outcome {n}", OUTCOME_MAX, "访")) in whole
        assert flat(longest(f"Next {n}", NEXT_STEP_MAX, "访")) in whole
    assert whole.index("Outcome0") < whole.index("Outcome1") < whole.index("Outcome2")
    assert "?" not in whole


def test_the_reception_record_of_500_visits_renders_in_reasonable_time(language: str) -> None:
    started = time.perf_counter()
    pdf = render_pdf(reception_document(record([typical(n) for n in range(500)]), TZ, NOW))
    took = time.perf_counter() - started

    reader = PdfReader(BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    whole = flat("".join(pages))
    assert all(f"第{n}次" in whole for n in range(500))
    assert whole.index("第0次") < whole.index("第499次")  # newest first
    assert f"{len(pages)} / {len(pages)}" in pages[-1]
    assert took < 30, f"500 visits took {took:.1f} s"  # measured 2-3 s: a guard, not a benchmark
