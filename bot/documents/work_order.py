"""The work order (派工单) as a printable page, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.core.usecases.follow_on import WorkOrderFile
from bot.documents.layout import Field, PrintDocument, Signature


def _day(moment: datetime | None, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).date().isoformat() if moment else ""


def work_order_document(view: WorkOrderFile, timezone: ZoneInfo) -> PrintDocument:
    order, contract = view.order, view.file.contract
    return PrintDocument(
        title=_("Work order"),
        number=Field(_("No."), f"{contract.number}-{order.id}"),
        issued=Field(_("Filed"), _day(order.filed_at, timezone)),
        fields=(
            Field(_("Contract"), contract.number or "—"),
            Field(_("Customer"), view.file.customer_name),
            Field(_("Rep"), view.file.owner_name),
            Field(_("Filed by"), view.name(order.filed_by) or "—"),
            Field(_("Assigned to"), view.name(order.assignee_id) or "—"),
            Field(_("Task"), order.task),
            Field(_("Acceptance report"), order.acceptance or "—"),
        ),
        signatures=(
            Signature(
                _("Signed by the sales manager"),
                view.name(order.signed_by) or "",
                Field(_("Date"), _day(order.signed_at, timezone)),
            ),
            Signature(
                _("Accepted"),
                (view.name(order.assignee_id) or "") if order.accepted_at else "",
                Field(_("Date"), _day(order.accepted_at, timezone)),
            ),
        ),
    )
