"""The bot's commands, who may use them, and their descriptions (translated where shown)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.pool import POOL_READERS
from bot.core.reports import SCOPES
from bot.core.roles import MANAGING_ROLES, SALES_LINE, Role
from bot.core.usecases.ledger import READERS as LEDGER_READERS
from bot.i18n import N_


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    description: str
    roles: frozenset[Role] | None = None  # None: everyone

    def allowed(self, role: Role) -> bool:
        return self.roles is None or role in self.roles


REQUESTERS = frozenset({Role.rep, Role.supervisor})
# Who follows requests of their own in /my: the sales desk files contract applications
# and invoice requests, and urges them on like anyone.
FOLLOWERS = REQUESTERS | {Role.sales_desk}
APPROVERS = frozenset(
    {
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.general_manager,
        Role.finance_vp,
        Role.accountant,
    }
)
# /pending holds each role's queue: decisions for approvers; finance and the sales desk also
# find their order work there (deposits expected, papers to file), customer service its work
# orders.
QUEUE_HOLDERS = APPROVERS | frozenset({Role.sales_desk, Role.customer_service})

FIELD = frozenset({Role.rep, Role.supervisor, Role.sales_manager, Role.admin})
# Customer service opens the customers handed to them (read-only).
CUSTOMER_VIEWERS = FIELD | frozenset(
    {Role.marketing_vp, Role.general_manager, Role.customer_service}
)

PLANNERS = SALES_LINE

# /report: the roles that may read some scope of it (bot/core/reports.py SCOPES says which).
REPORT_READERS = frozenset(SCOPES)

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("customer", N_("Register, find and open customers"), CUSTOMER_VIEWERS),
    CommandSpec("pool", N_("The customer pool: idle customers to claim"), POOL_READERS),
    CommandSpec("visit", N_("Log a visit or a call"), FIELD),
    CommandSpec("plan", N_("Next week's plan, team plans and targets"), PLANNERS),
    CommandSpec("deal", N_("Ask for special terms on a deal"), REQUESTERS),
    CommandSpec("pending", N_("What waits for you: decisions and work to do"), QUEUE_HOLDERS),
    CommandSpec(
        "my", N_("Your requests and where each stands; 📣 Urge whoever decides one"), FOLLOWERS
    ),
    CommandSpec(
        "contract",
        N_("The contract ledger: contracts, deliveries, payments, overdue money and credit"),
        LEDGER_READERS,
    ),
    CommandSpec(
        "report",
        N_(
            "Reports: visits, customers, deals, contracts, deliveries, collections, plans "
            "and targets by rep, region, customer, product or channel"
        ),
        REPORT_READERS,
    ),
    CommandSpec("help", N_("What I can do for you")),
    CommandSpec("team", N_("Your team and who reports to whom")),
    CommandSpec("invite", N_("Invite a new colleague"), frozenset(MANAGING_ROLES)),
    CommandSpec("settings", N_("Language and preferences")),
    CommandSpec("cancel", N_("Leave the current form")),
)


def commands_for(role: Role) -> list[CommandSpec]:
    return [spec for spec in COMMANDS if spec.allowed(role)]


def spec(name: str) -> CommandSpec:
    return next(command for command in COMMANDS if command.name == name)


# What each role finds under /pending besides requests to decide: said in /help, so a person
# knows where their order work waits.
ANALYSIS_HINT = N_(
    "In /contract, 📈 Collections: what was due, collected and overdue by rep and customer, "
    "for last month or this month so far, and 📊 Chart draws it. Last month's arrives, with "
    "its chart, on each month's first working day."
)

EXPORT_CUSTOMERS_HINT = N_(
    "In /customer, 📥 Export: the target customer table and the visit log of a period, as an "
    "Excel or CSV file."
)
EXPORT_LEDGER_HINT = N_(
    "In /contract, 📥 Export: the contract ledger, and for managers and finance collections "
    "and ageing, as an Excel or CSV file; a commission sheet's screen has 📥 Excel."
)

# Managers: the Saturday meeting pack on demand and the training topic (/plan's team view).
MEETING_HINT = N_(
    "In /plan, 👥 Team plans and targets → 🗓 Meeting pack: the Saturday meeting pack before "
    "the meeting (📄 the full pack as a PDF) and 🎓 the training topic for the coming meeting."
)

# Reps and managers: the monthly performance review (/plan).
REVIEW_HINT = N_(
    "In /plan, 🏅 Monthly reviews: each month's review (amount, quantity, collections, your "
    "work-log notes), prepared on the month's first working day; reps add a comment, "
    "managers grade them excellent, good, average or below target."
)

# Whoever opens customers' cards: the printable record of the visits.
# Whoever reads /report: its chart and workbook; the general manager's monthly push.
REPORT_HINT = N_("In /report, 📊 Chart sends the figures as a picture and 📥 Excel as a workbook.")
MONTHLY_REPORT_HINT = N_(
    "On each month's first working day you get last month's company report by rep, with its chart."
)

RECEPTION_HINT = N_(
    "On a customer's card in /customer, 🖨 Reception record sends every visit as a PDF to print."
)

MOVES_HINT = N_(
    "On an approval card, 🔀 Transfer hands the step, with a reason, to a colleague in your "
    "role or above you who may decide it; ➕ Add approver asks a colleague to review the "
    "request before you or after you."
)

QUEUE_HINTS: dict[Role, str] = {
    Role.accountant: N_(
        "In /pending: deposits expected, contracts to co-sign, payments to record, "
        "signed delivery copies to book, invoices to issue, commission sheets to check and to "
        "mark paid, the month's ledger to reconcile."
    ),
    Role.finance_vp: N_(
        "In /pending: requests and invoices to sign, contracts to co-sign and commission "
        "sheets to check."
    ),
    Role.sales_desk: N_(
        "In /pending: contract applications, goods to mark ready, delivery notes and "
        "work orders to file, signed work orders to assign, the reps' monthly "
        "commission sheets (💼 Commission sheet) and the month's ledger to reconcile. Ask for "
        "an invoice from a contract's card in /contract."
    ),
    Role.sales_manager: N_(
        "In /pending: requests and contract applications to decide, delivery notes and "
        "work orders to sign."
    ),
    Role.marketing_vp: N_("In /pending: requests to decide and production notices to sign."),
    Role.general_manager: N_(
        "In /pending: requests and contract applications to decide, commission sheets to approve."
    ),
    Role.customer_service: N_("In /pending: the work orders assigned to you."),
    Role.rep: N_(
        "On a request's summary, 👥 Inform colleagues adds whom to tell the outcome (CC). "
        "In /my: your requests; 📣 Urge nudges whoever decides a pending one; on an approved "
        "one record the deal, then the signed "
        "reservation from the customer's card. Ask for an invoice from a contract's card "
        "in /contract."
    ),
}
