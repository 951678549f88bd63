"""The Saturday meeting pack (周例会资料) as a printable document, in the reader's language: the
team at a glance, then per rep this week's plan versus actual with each visit's outcome, next
week's key visits, open deals and overdue money."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.core.meeting import MeetingPack, RepPack, shorten
from bot.documents.layout import Align, Field, PrintDocument, Table
from bot.labels import day_label, deal_stage_label, intent_label, kind_label
from bot.rendering import money

L, R = Align.LEFT, Align.RIGHT


def _status(code: str) -> str:
    return {"submitted": _("submitted"), "late": _("late")}.get(code, _("missing"))


def _glance(pack: MeetingPack, currency: str) -> Table:
    rows = tuple(
        (
            rep.name,
            _status(rep.status),
            str(len(rep.key_visits)),
            f"{rep.done}/{len(rep.planned)} ({rep.completion} %)" if rep.planned else "—",
            str(len(rep.unplanned)),
            f"{len(rep.deals)} · {money(rep.deals_amount, currency)}",
            money(rep.overdue_amount, currency) if rep.overdue else "—",
        )
        for rep in pack.reps
    )
    return Table(
        (
            _("Rep"),
            _("Next week's plan"),
            _("Key visits"),
            _("This week done"),
            _("Unplanned"),
            _("Open deals"),
            _("Overdue"),
        ),
        rows,
        align=(L, L, R, R, R, R, R),
        title=_("The team at a glance"),
    )


def _plan_versus_actual(rep: RepPack) -> Table:
    rows = [
        (
            day_label(p.item.day),
            p.customer,
            p.item.purpose,
            day_label(p.visit.visited_on) if p.visit else _("not done"),
            shorten(p.visit.outcome) if p.visit else "",
            intent_label(p.visit.intent) if p.visit else "",
        )
        for p in rep.planned
    ]
    rows += [
        (
            day_label(visit.visited_on),
            customer,
            _("Unplanned: %(kind)s") % {"kind": kind_label(visit.kind)},
            day_label(visit.visited_on),
            shorten(visit.outcome),
            intent_label(visit.intent),
        )
        for visit, customer in rep.unplanned
    ]
    return Table(
        (_("Day"), _("Customer"), _("Purpose"), _("Done"), _("Outcome"), _("Intent")),
        tuple(rows) or ((_("Nothing planned or logged"), "", "", "", "", ""),),
        title=_("%(rep)s · this week: plan versus actual") % {"rep": rep.name},
    )


def _key_visits(rep: RepPack) -> Table:
    rows = tuple((day_label(k.item.day), k.customer, k.item.purpose) for k in rep.key_visits)
    return Table(
        (_("Day"), _("Customer"), _("Purpose")),
        rows or ((_("No plan submitted") if rep.status == "missing" else "—", "", ""),),
        title=_("%(rep)s · next week's key visits") % {"rep": rep.name},
    )


def _deals(rep: RepPack, currency: str, tz: ZoneInfo) -> Table:
    rows = tuple(
        (
            d.customer,
            deal_stage_label(d.stage.value),
            money(d.amount, currency) if d.amount is not None else "—",
            day_label(d.since.astimezone(tz)),
        )
        for d in rep.deals
    )
    return Table(
        (_("Customer"), _("Stage"), _("Amount"), _("Since")),
        rows or (("—", "", "", ""),),
        align=(L, L, R, L),
        title=_("%(rep)s · open deals when printed") % {"rep": rep.name},
    )


def _overdue(rep: RepPack, currency: str) -> Table:
    rows = tuple(
        (o.contract, o.customer, money(o.amount, currency), str(o.days)) for o in rep.overdue
    )
    return Table(
        (_("Contract"), _("Customer"), _("Overdue"), _("Days late")),
        rows or (("—", "", "", ""),),
        align=(L, L, R, R),
        title=_("%(rep)s · overdue money when printed") % {"rep": rep.name},
    )


def meeting_pack_document(
    pack: MeetingPack, tz: ZoneInfo, currency: str, issued: datetime
) -> PrintDocument:
    tables = [_glance(pack, currency)]
    for rep in pack.reps:
        tables += [
            _plan_versus_actual(rep),
            _key_visits(rep),
            _deals(rep, currency, tz),
            _overdue(rep, currency),
        ]
    return PrintDocument(
        title=_("Weekly meeting pack"),
        number=Field(_("Week of"), pack.week.isoformat()),
        issued=Field(_("Printed"), issued.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
        fields=(
            Field(_("Manager"), pack.manager),
            Field(_("Meeting"), day_label(pack.meeting.astimezone(tz), clock=True)),
            Field(_("Reported week"), pack.this_week.isoformat()),
            Field(_("Training topic"), pack.topic or "—"),
        ),
        tables=tuple(tables),
    )


def meeting_pack_filename(pack: MeetingPack) -> str:
    return f"{_('Weekly meeting pack')} {pack.week.isoformat()}"
