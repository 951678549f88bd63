"""One jinja environment for every message: autoescaped HTML, gettext, money and time filters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.customer_rules import display_phone
from bot.labels import role_label, weekday_label
from bot.ui.picklists import intent_label, kind_label, pick_label, status_label

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def money(value: Decimal | str | int) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,}"


def percent(value: Decimal | str | int) -> str:
    """12.50 → "12.5 %", 12.00 → "12 %"."""
    return f"{Decimal(value).normalize():f} %"


def make_env(i18n: I18n, timezone: ZoneInfo) -> Environment:
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

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.gettext(message),
        ngettext=lambda singular, plural, n: i18n.gettext(singular, plural, n),
        newstyle=True,
    )
    env.filters.update(
        phone=lambda value: display_phone(value) if value else "—",
        money=money,
        percent=percent,
        local_time=local_time,
        role=role_label,
        pick=pick_label,
        status=status_label,
        visit_kind=kind_label,
        intent=intent_label,
    )
    return env


class Renderer:
    def __init__(self, env: Environment) -> None:
        self._env = env

    def render(self, template: str, **params: Any) -> str:
        # `this` is the whole parameter dict, for macros that take a request snapshot.
        return self._env.get_template(f"{template}.html").render(this=params, **params).strip()
