"""Dialogs and handlers read input, call one use case and render: a rule about who may see or do
something lives in `bot/core/usecases`, where it is tested. So no dialog or handler module calls
a repository of the unit of work itself (`uow.plans.get(…)`, `uow_of(manager).requests.get(…)`);
the check walks their sources with `ast`."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import get_type_hints

import pytest

from bot.core.ports import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]


def _repositories() -> dict[str, set[str]]:
    """Each repository attribute of the UnitOfWork with the methods its Protocol declares."""
    ports = {
        name: get_type_hints(member.fget)["return"]
        for name, member in inspect.getmembers(UnitOfWork, lambda m: isinstance(m, property))
    }
    return {
        name: {m for m, _ in inspect.getmembers(port, inspect.isfunction) if not m.startswith("_")}
        for name, port in ports.items()
        if inspect.isclass(port)
    }


REPOSITORIES = _repositories()


def repository_reads(source: str) -> list[str]:
    """Every `<anything>.<repository>.<one of its methods>` in the source, as `line: text`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
            continue
        repository = node.value.attr
        if node.attr in REPOSITORIES.get(repository, set()):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_every_repository_of_the_unit_of_work_is_known() -> None:
    assert {"people", "requests", "steps", "plans", "delegations", "customers"} <= set(REPOSITORIES)
    assert {"get", "all"} <= REPOSITORIES["people"]
    assert "open_for" in REPOSITORIES["steps"]


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("plan = await uow.plans.get(plan_id)", ["1: uow.plans.get"]),
        ("request = await uow_of(manager).requests.get(1)", ["1: uow_of(manager).requests.get"]),
        ("x = [p for p in await self.uow.people.all()]", ["1: self.uow.people.all"]),
        ("await approvals.own_request(uow_of(manager), actor, 1)", []),
        ("lists = policy_of(manager).customers.industries", []),  # a policy section, no repository
        ("await uow_of(manager).rollback()", []),
    ],
)
def test_the_check_finds_repository_reads_and_nothing_else(source: str, reads: list[str]) -> None:
    assert repository_reads(source) == reads


@pytest.mark.parametrize("package", ["dialogs", "handlers"])
def test_no_dialog_or_handler_reads_a_repository(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): reads
        for path in sorted((ROOT / package).rglob("*.py"))
        if (reads := repository_reads(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "call a use case of bot/core/usecases instead"
