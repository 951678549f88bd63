"""Display names for the domain's codes, marked for translation."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.core.roles import Role
from bot.i18n import N_

ROLE_LABELS: dict[Role, str] = {
    Role.rep: N_("Sales rep"),
    Role.supervisor: N_("Sales supervisor"),
    Role.sales_manager: N_("Sales manager"),
    Role.marketing_vp: N_("Marketing VP"),
    Role.general_manager: N_("General manager"),
    Role.accountant: N_("Accountant"),
    Role.finance_vp: N_("Finance VP"),
    Role.customer_service: N_("Customer service"),
    Role.admin: N_("Administrator"),
}

LANGUAGE_LABELS = {"en": "English", "zh": "简体中文"}

WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS[Role(role)])


def weekday_label(weekday: int) -> str:
    """Monday = 0, in the reader's language ("Fri", "周五")."""
    return _(WEEKDAY_NAMES[weekday])
