"""Labels for the built-in pick-list codes and the customer statuses; a company's own entries
from the policy file are shown as written."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.i18n import N_

OTHER = "__other"

LABELS: dict[str, str] = {
    "manufacturing": N_("Manufacturing"),
    "wholesale": N_("Wholesale"),
    "retail": N_("Retail"),
    "construction": N_("Construction"),
    "food": N_("Food and drink"),
    "electronics": N_("Electronics"),
    "services": N_("Services"),
    "micro": N_("Micro (under 10 people)"),
    "small": N_("Small (10–99)"),
    "medium": N_("Medium (100–999)"),
    "large": N_("Large (1000+)"),
    "north": N_("North China"),
    "east": N_("East China"),
    "south": N_("South China"),
    "central": N_("Central China"),
    "west": N_("West China"),  # the default before the seed's seven; kept for stored values
    "northeast": N_("Northeast China"),
    "northwest": N_("Northwest China"),
    "southwest": N_("Southwest China"),
    "visit": N_("Our visit"),
    "referral": N_("Referral"),
    "phone": N_("Phone enquiry"),
    "exhibition": N_("Exhibition"),
    "online": N_("Online"),
    "walk_in": N_("Walked in"),
}

STATUS_LABELS: dict[str, str] = {
    "prospect": N_("Prospect"),
    "qualified": N_("Qualified lead"),
    "won": N_("Won"),
    "handed_over": N_("Handed over"),
    "lost": N_("Not won"),
}

KIND_LABELS: dict[str, str] = {
    "first": N_("First visit"),
    "revisit": N_("Revisit"),
    "reception": N_("Reception at the office"),
    "call": N_("Phone call"),
}

INTENT_LABELS: dict[str, str] = {
    "none": N_("No intent"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
}


def pick_label(code: str | None) -> str:
    if not code:
        return "—"
    return _(LABELS[code]) if code in LABELS else code


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


def kind_label(code: str) -> str:
    return _(KIND_LABELS.get(code, code))


def intent_label(code: str) -> str:
    return _(INTENT_LABELS.get(code, code))
