from aiogram.fsm.state import State, StatesGroup


class InviteSG(StatesGroup):
    name = State()
    role = State()
    manager = State()
    confirm = State()
    done = State()


class TeamSG(StatesGroup):
    tree = State()
    person = State()
    role = State()
    role_confirm = State()
    manager = State()
    deactivate = State()


class SettingsSG(StatesGroup):
    main = State()


class ReasonSG(StatesGroup):
    reason = State()


class TransferSG(StatesGroup):
    """转交 (transfer) and 加签 (add an approver): whom, before or after (加签), and why."""

    person = State()
    placement = State()
    reason = State()


class CcPickSG(StatesGroup):
    """The colleagues a requester adds to inform (抄送) while filing."""

    pick = State()


class RequestViewSG(StatesGroup):
    """A request read-only: a CC'd colleague opens it from the outcome message."""

    detail = State()
    history = State()


class DiscardSG(StatesGroup):
    ask = State()


class DealSG(StatesGroup):
    customer = State()
    new_customer = State()
    product = State()
    quantity = State()
    amount = State()
    discount = State()
    payment_terms = State()
    deposit = State()
    note = State()
    confirm = State()
    done = State()


class PendingSG(StatesGroup):
    list = State()
    card = State()
    history = State()
    cosign = State()


class MyRequestsSG(StatesGroup):
    list = State()
    detail = State()
    withdraw = State()
    history = State()


class AwaySG(StatesGroup):
    overview = State()
    start = State()
    end = State()
    delegate = State()
    confirm = State()


class RegisterSG(StatesGroup):
    name = State()
    phone = State()
    duplicates = State()
    contact = State()
    address = State()
    industry = State()
    industry_other = State()
    size = State()
    region = State()
    region_other = State()
    source = State()
    shop = State()
    note = State()
    confirm = State()


class CustomerSG(StatesGroup):
    menu = State()
    results = State()
    queue = State()
    card = State()
    reject_kind = State()
    reject_comment = State()
    status = State()
    reassign = State()
    handover = State()
    won = State()
    lost = State()


class VisitSG(StatesGroup):
    customer = State()
    kind = State()
    date = State()
    date_pick = State()
    outcome = State()
    intent = State()
    next_step = State()
    follow_up = State()
    follow_up_pick = State()
    location = State()
    photos = State()
    confirm = State()


class PlanSG(StatesGroup):
    overview = State()
    customer = State()
    day = State()
    purpose = State()
    remove = State()
    goals = State()
    log = State()
    this_week = State()
    reopen = State()
    targets = State()


class ReviewSG(StatesGroup):
    list = State()
    card = State()
    comment = State()
    grade = State()
    reason = State()


class TeamPlansSG(StatesGroup):
    list = State()
    plan = State()
    comment = State()
    target_rep = State()
    target_month = State()
    target_sales = State()
    target_quantity = State()
    target_collection = State()
    target_confirm = State()
    progress = State()
    pack = State()
    topic = State()


class ReservationSG(StatesGroup):
    amount = State()
    deposit = State()
    page = State()
    confirm = State()
    done = State()


class DepositSG(StatesGroup):
    amount = State()
    method = State()
    receipt = State()
    reference = State()
    paid_on = State()
    confirm = State()
    done = State()


class ApplicationSG(StatesGroup):
    lines = State()
    product = State()
    quantity = State()
    price = State()
    discount = State()
    schedule = State()
    instalment = State()
    due = State()
    delivery = State()
    confirm = State()
    done = State()


class PaymentSG(StatesGroup):
    contract = State()
    amount = State()
    method = State()
    reference = State()
    paid_on = State()
    confirm = State()
    done = State()


class ContractLedgerSG(StatesGroup):
    ledger = State()
    customer = State()
    rep = State()
    card = State()
    analysis = State()


class WorkOrderFileSG(StatesGroup):
    contract = State()
    task = State()
    confirm = State()
    done = State()


class WorkOrderSG(StatesGroup):
    card = State()
    assignee = State()
    acceptance = State()


class DeliverySG(StatesGroup):
    contract = State()
    note = State()
    copy = State()


class DeliveryNoteSG(StatesGroup):
    quantity = State()
    confirm = State()
    done = State()


class InvoiceAskSG(StatesGroup):
    amount = State()
    done = State()


class InvoiceIssueSG(StatesGroup):
    number = State()
    issued_on = State()
    confirm = State()
    done = State()


class CommissionFileSG(StatesGroup):
    rep = State()
    sheet = State()
    done = State()


class CommissionSG(StatesGroup):
    card = State()
    reason = State()
    reference = State()


class ReconcileSG(StatesGroup):
    totals = State()
    line = State()
    figure = State()


class PoolSG(StatesGroup):
    list = State()
    card = State()
    assign = State()


class ExportSG(StatesGroup):
    kind = State()
    period = State()
    first = State()
    last = State()
    format = State()


class ReportSG(StatesGroup):
    period = State()
    first = State()
    last = State()
    scope = State()
    dimension = State()
    result = State()
