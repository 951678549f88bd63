from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram_dialog import DialogManager

from bot.core.models import Person
from bot.core.org import tree_rows
from bot.core.roles import Role
from bot.core.usecases import team
from bot.labels import role_label
from bot.ui.paging import paged_text
from dialogs.common import person_of, renderer_of, uow_of


async def tree_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    viewer = person_of(dialog_manager)
    people = await team.visible_team(uow_of(dialog_manager), viewer.id)
    rows = tree_rows(people)
    renderer = renderer_of(dialog_manager)

    def render(chunk: Sequence[tuple[int, Person]], page: int, pages: int) -> str:
        return renderer.render(
            "team_tree",
            rows=chunk,
            total=len(rows),
            active=sum(p.active for p in people),
            page=page,
            pages=pages,
            viewer_id=viewer.id,
        )

    tree = paged_text(dialog_manager, "page", rows, render)
    return {
        "tree": tree["page"],
        "is_admin": viewer.is_admin,
        "people": [(p.id, _button(p)) for _depth, p in rows],
        "has_prev": tree["page_prev"],
        "has_next": tree["page_next"],
    }


def _button(person: Person) -> str:
    mark = "" if person.active else " ⛔"
    return f"{person.full_name} · {role_label(person.role)}{mark}"


async def _selected(dialog_manager: DialogManager) -> tuple[Person, list[Person]]:
    viewer = person_of(dialog_manager)
    people = await team.visible_team(uow_of(dialog_manager), viewer.id)
    by_id = {p.id: p for p in people}
    return by_id[dialog_manager.dialog_data["person_id"]], people


async def person_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    person, people = await _selected(dialog_manager)
    manager = next((p for p in people if p.id == person.reports_to), None)
    reports = [p for p in people if p.reports_to == person.id and p.active]
    card = renderer_of(dialog_manager).render(
        "team_person", person=person, manager=manager, reports=reports
    )
    return {"card": card, "active": person.active, "name": person.full_name}


async def roles_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    person, _people = await _selected(dialog_manager)
    return {
        "name": person.full_name,
        "roles": [(r.value, ("• " if r is person.role else "") + role_label(r)) for r in Role],
    }


async def role_confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    person, _people = await _selected(dialog_manager)
    return {
        "name": person.full_name,
        "old": role_label(person.role),
        "new": role_label(Role(dialog_manager.dialog_data["role"])),
    }


async def managers_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    person, people = await _selected(dialog_manager)
    return {
        "name": person.full_name,
        "managers": [
            (p.id, f"{p.full_name} · {role_label(p.role)}")
            for p in team.managers_for(person, people)
        ],
    }


async def deactivate_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    person, people = await _selected(dialog_manager)
    manager = next((p for p in people if p.id == person.reports_to), None)
    reports = sum(1 for p in people if p.reports_to == person.id)
    return {
        "name": person.full_name,
        "reports": reports,
        "heir": manager.full_name if manager else "—",
    }
