"""Helpers shared by the dialogs: typed access to what the middlewares put in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram_dialog import DialogManager

from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.rendering import Renderer


def uow_of(manager: DialogManager) -> UnitOfWork:
    uow: UnitOfWork = manager.middleware_data["uow"]
    return uow


def person_of(manager: DialogManager) -> Person:
    person: Person = manager.middleware_data["person"]
    return person


def now_of(manager: DialogManager) -> datetime:
    now: datetime = manager.middleware_data["now"]
    return now


def renderer_of(manager: DialogManager) -> Renderer:
    renderer: Renderer = manager.middleware_data["renderer"]
    return renderer


def start_data(manager: DialogManager) -> dict[str, Any]:
    data = manager.start_data
    if not isinstance(data, dict):
        raise TypeError("this dialog must be started with a dict of start data")
    return data


def policy_of(manager: DialogManager) -> Policy:
    policy: Policy = manager.middleware_data["policy"]
    return policy


def person_label(person: Person, role_label: str) -> str:
    return f"{person.full_name} · {role_label}"
