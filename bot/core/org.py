"""Rules over the organisation tree: who sees whom, who may manage whom."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.models import Person
from bot.core.roles import Role


def children_index(people: Iterable[Person]) -> dict[int | None, list[Person]]:
    index: dict[int | None, list[Person]] = {}
    for person in sorted(people, key=lambda p: (p.full_name.casefold(), p.id)):
        index.setdefault(person.reports_to, []).append(person)
    return index


def subtree_ids(root_id: int, people: Iterable[Person]) -> set[int]:
    """The ids of root and everyone below them, whatever the depth."""
    index = children_index(people)
    found: set[int] = set()
    stack = [root_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(child.id for child in index.get(current, []))
    return found


def line_above(person_id: int, by_id: Mapping[int, Person]) -> list[Person]:
    """The people above a person, nearest first; a broken or cyclic line simply ends."""
    line: list[Person] = []
    seen = {person_id}
    current = by_id.get(person_id)
    while current is not None and current.reports_to is not None:
        if current.reports_to in seen:
            break
        seen.add(current.reports_to)
        current = by_id.get(current.reports_to)
        if current is not None:
            line.append(current)
    return line


def visible_ids(viewer: Person, people: Iterable[Person]) -> set[int]:
    """An admin sees everyone; anyone else sees themselves and their subtree."""
    everyone = list(people)
    if viewer.is_admin:
        return {p.id for p in everyone}
    return subtree_ids(viewer.id, everyone)


def would_cycle(person_id: int, new_manager_id: int | None, people: Iterable[Person]) -> bool:
    """Reporting to someone in one's own subtree (or to oneself) would make a loop."""
    if new_manager_id is None:
        return False
    return new_manager_id in subtree_ids(person_id, people)


def tree_rows(people: Iterable[Person]) -> list[tuple[int, Person]]:
    """(depth, person) in tree order; anyone whose manager is not among `people` is a root."""
    everyone = list(people)
    ids = {p.id for p in everyone}
    index = children_index(everyone)
    roots = list(index.get(None, [])) + [
        p
        for p in sorted(everyone, key=lambda p: (p.full_name.casefold(), p.id))
        if p.reports_to is not None and p.reports_to not in ids
    ]
    rows: list[tuple[int, Person]] = []
    seen: set[int] = set()
    stack = [(0, root) for root in reversed(roots)]
    while stack:
        depth, person = stack.pop()
        if person.id in seen:
            continue
        seen.add(person.id)
        rows.append((depth, person))
        stack.extend((depth + 1, child) for child in reversed(index.get(person.id, [])))
    return rows


def holding(people: Iterable[Person], role: Role) -> list[Person]:
    """The active people in `role`."""
    return [p for p in people if p.active and p.role is role]
