"""/contract: the ledger, filtered (Open / Overdue / Closed, by customer, by rep) and paged;
a contract's card with its figures, and its summary as a PDF; for managers and finance, the
collection analysis of last month or this month."""

from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.customers import SEARCH_MAX
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import turn_page
from dialogs.contract import getters, handlers
from dialogs.states import ContractLedgerSG, ExportSG


def _back() -> SwitchTo:
    return SwitchTo(Label("◀ Back to the ledger"), id="toledger", state=ContractLedgerSG.ledger)


def contract_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{ledger}"),
            Row(
                Select(
                    Format("{item[1]}"),
                    id="f",
                    item_id_getter=itemgetter(0),
                    items="filters",
                    on_click=handlers.on_filter,
                )
            ),
            choice_list("rows", "c", handlers.on_open, height=8),
            Row(
                Button(Label("◀ Previous"), id="prev", on_click=turn_page, when="has_prev"),
                Button(Label("Next ▶"), id="next", on_click=turn_page, when="has_next"),
            ),
            Row(
                SwitchTo(Label("🔎 By customer"), id="bycust", state=ContractLedgerSG.customer),
                SwitchTo(Label("👤 By rep"), id="byrep", state=ContractLedgerSG.rep, when="by_rep"),
            ),
            SwitchTo(
                Label("📈 Collections"),
                id="analysis",
                state=ContractLedgerSG.analysis,
                when="analyst",
            ),
            Start(Label("📥 Export"), id="export", state=ExportSG.kind),
            Button(
                Label("✖ All customers and reps"),
                id="clear",
                on_click=handlers.on_clear,
                when="narrowed",
            ),
            Cancel(Label("Close")),
            buttons_only(),
            state=ContractLedgerSG.ledger,
            getter=getters.ledger_getter,
        ),
        Window(
            Tr("Type part of the customer's name:"),
            text_field("cq", text_up_to(SEARCH_MAX), handlers.on_customer),
            _back(),
            state=ContractLedgerSG.customer,
        ),
        Window(
            Tr("Whose contracts?"),
            choice_list("people", "o", handlers.on_rep),
            _back(),
            buttons_only(),
            state=ContractLedgerSG.rep,
            getter=getters.reps_getter,
        ),
        Window(
            Format("{card}"),
            Button(Label("📄 PDF"), id="pdf", on_click=handlers.on_pdf),
            Button(
                Label("🚚 Production and delivery"),
                id="deliv",
                on_click=handlers.on_delivery,
                when="in_force",
            ),
            Button(
                Label("🛠 File a work order"),
                id="wo",
                on_click=handlers.on_work_order,
                when="work_order",
            ),
            Button(
                Label("🧾 Ask for an invoice"),
                id="inv",
                on_click=handlers.on_invoice,
                when="invoice",
            ),
            _back(),
            buttons_only(),
            state=ContractLedgerSG.card,
            getter=getters.card_getter,
        ),
        Window(
            Format("{analysis}"),
            Row(
                Button(Format("{last_month}"), id="lastm", on_click=handlers.on_month),
                Button(Format("{this_month}"), id="thism", on_click=handlers.on_month),
            ),
            Button(Label("📊 Chart"), id="chart", on_click=handlers.on_chart, when="has_chart"),
            _back(),
            buttons_only(),
            state=ContractLedgerSG.analysis,
            getter=getters.analysis_getter,
        ),
    )
