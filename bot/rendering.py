"""One jinja environment for every message: autoescaped HTML, gettext, money and time filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.customer_rules import display_phone
from bot.core.deals import to_cent
from bot.i18n import PoI18n
from bot.labels import (
    contract_status_label,
    credit_standing_label,
    day_label,
    deal_field_label,
    deal_stage_label,
    delivery_status_label,
    grade_label,
    intent_label,
    kind_label,
    ledger_line_label,
    payment_method_label,
    pick_label,
    role_label,
    schedule_mark_label,
    status_label,
    weekday_label,
    work_order_status_label,
)
from bot.ui.fit import MESSAGE_LIMIT, clip, fits, shorten_html

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# A card or status message shows this many latest decisions; /pending and /my show them all.
HISTORY_SHOWN = 3


# The sign written before an amount; a currency without one is written by its code.
CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥"}


def money(value: Decimal | str | int, currency: str = "CNY") -> str:
    """360000 → "¥360,000.00"; a currency without a sign: "SGD 360,000.00"."""
    sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
    return f"{sign}{to_cent(Decimal(value)):,}"


def units(value: Decimal | str | int) -> str:
    """A quantity as typed, without trailing zeros: "12.500" → "12.5"; none (0) is "—"."""
    number = Decimal(value)
    return f"{number.normalize():f}" if number else "—"


def distance(metres: float) -> str:
    """1234.5 → "1.2 km", 380.2 → "380 m": a distance as a person reads it."""
    if metres >= 1000:
        return f"{metres / 1000:.1f} km"
    return f"{round(metres)} m"


def percent(value: Decimal | str | int) -> str:
    """12.50 → "12.5 %", 12.00 → "12 %"."""
    return f"{Decimal(value).normalize():f} %"


def make_env(i18n: PoI18n, timezone: ZoneInfo, currency: str = "CNY") -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )

    def local_time(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        if value is None:
            return "—"
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        local = moment.astimezone(timezone)
        # strftime's %a is the C locale's English; the reader gets their own language.
        return local.strftime(fmt.replace("%a", weekday_label(local.weekday())))

    def day(value: date | str | None) -> str:
        """A calendar day as the reader says it: "Fri 11-27", "周五 11-27"."""
        if value is None:
            return "—"
        return day_label(date.fromisoformat(value[:10]) if isinstance(value, str) else value)

    def colon(label: str) -> str:
        """ "Owner: " in English, "跟进人：" in Chinese (a full-width colon, no space)."""
        return f"{label}：" if i18n.current_locale.startswith("zh") else f"{label}: "

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.gettext(message),
        ngettext=lambda singular, plural, n: i18n.gettext(singular, plural, n),
        pgettext=lambda context, message: i18n.pgettext(context, message),
        newstyle=True,
    )
    env.globals["HISTORY_SHOWN"] = HISTORY_SHOWN
    env.filters.update(
        phone=lambda value: display_phone(value) if value else "—",
        money=lambda value: money(value, currency),
        units=units,
        percent=percent,
        distance=distance,
        local_time=local_time,
        role=role_label,
        pick=pick_label,
        status=status_label,
        deal_stage=deal_stage_label,
        payment_method=payment_method_label,
        visit_kind=kind_label,
        intent=intent_label,
        clip=clip,
        colon=colon,
        deal_field=deal_field_label,
        day=day,
        contract_status=contract_status_label,
        delivery_status=delivery_status_label,
        work_order_status=work_order_status_label,
        schedule_mark=schedule_mark_label,
        credit_standing=credit_standing_label,
        grade=grade_label,
        ledger_line=ledger_line_label,
    )
    return env


class Renderer:
    def __init__(self, env: Environment) -> None:
        self._env = env

    def render(self, template: str, *, short: bool = False, **params: Any) -> str:
        """`short` asks a template for its compact form (templates may branch on it).
        `this` is the whole parameter dict, for macros that take a request snapshot."""
        page = self._env.get_template(f"{template}.html")
        return page.render(this=params, short=short, **params).strip()

    def render_within(
        self, template: str, params: dict[str, Any], limit: int = MESSAGE_LIMIT
    ) -> str:
        """The message as designed when it fits Telegram's limit; else its short form; cut
        safely as the last resort, so a message is never refused for its length."""
        text = self.render(template, **params)
        if fits(text, limit):
            return text
        return shorten_html(self.render(template, short=True, **params), limit)
