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
