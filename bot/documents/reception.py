"""The reception record (接待记录) as a printable document, in the reader's language: the
customer's basic information (the seed's customer-gathering table), then every visit, newest
first, as the rep recorded it (seed: the records are printable and the basis for judging
purchase intent)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.core.customer_rules import display_phone
from bot.core.customers import Visit
from bot.core.usecases.customers import ReceptionRecord
from bot.documents.layout import Field, PrintDocument, Table
from bot.labels import intent_label, kind_label, pick_label, status_label


def _visit_row(visit: Visit, names: dict[int, str]) -> tuple[str, ...]:
    """The short facts in narrow columns; what happened and what comes next share the one wide
    column, so a long outcome wraps in half the lines it would take in a column of its own."""
    said = visit.outcome
    if visit.next_step:
        said += "\n→ " + visit.next_step
    return (
        visit.visited_on.isoformat(),
        kind_label(visit.kind),
        names.get(visit.rep_id, "—"),
        intent_label(visit.intent),
        visit.next_follow_up.isoformat() if visit.next_follow_up else "",
        _("far") if visit.far else "",
        said,
    )


def reception_document(record: ReceptionRecord, tz: ZoneInfo, issued: datetime) -> PrintDocument:
    customer = record.customer
    rows = tuple(_visit_row(v, record.names) for v in record.visits)
    return PrintDocument(
        title=_("Reception record"),
        number=Field(_("Customer No."), str(customer.id)),
        issued=Field(_("Printed"), issued.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
        fields=(
            Field(_("Company"), customer.name),
            Field(_("Address"), customer.address or "—"),
            Field(_("Head / contact"), customer.contact_name or "—"),
            Field(_("Phone"), display_phone(customer.phone) if customer.phone else "—"),
            Field(_("Industry"), pick_label(customer.industry)),
            Field(_("Size"), pick_label(customer.size)),
            Field(_("Region"), pick_label(customer.region)),
            Field(_("Online shop"), customer.shop_url or "—"),
            Field(_("Status"), status_label(customer.status.value)),
            Field(_("Owner"), record.owner),
            Field(_("Registered"), customer.created_at.astimezone(tz).date().isoformat()),
            Field(_("Visits"), str(len(rows))),
        ),
        tables=(
            Table(
                (
                    _("Date"),
                    _("Kind"),
                    _("Rep"),
                    _("Intent"),
                    _("Follow-up"),
                    _("Far"),
                    _("Outcome → next step"),
                ),
                rows or ((_("No visits recorded yet"), "", "", "", "", "", ""),),
                title=_("Visits, newest first"),
            ),
        ),
    )


def reception_filename(record: ReceptionRecord) -> str:
    return f"{_('Reception record')} {record.customer.name}"
