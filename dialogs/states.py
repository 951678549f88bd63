from aiogram.fsm.state import State, StatesGroup


class InviteSG(StatesGroup):
    role = State()
    manager = State()
    confirm = State()
    done = State()


class TeamSG(StatesGroup):
    tree = State()
    person = State()
    role = State()
    manager = State()
    deactivate = State()


class SettingsSG(StatesGroup):
    main = State()


class ReasonSG(StatesGroup):
    reason = State()


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


class MyRequestsSG(StatesGroup):
    list = State()
    detail = State()
    withdraw = State()


class AwaySG(StatesGroup):
    overview = State()
    start = State()
    end = State()
    delegate = State()
    confirm = State()
