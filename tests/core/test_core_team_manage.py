"""Use cases that keep the organisation tree right: roles, managers, deactivation, language."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import pytest
from approval_fakes import ApprovalUnitOfWork
from fakes import (
    ACE,
    ADA,
    FAY,
    GUS,
    MIA,
    NOW,
    RAY,
    ROB,
    SAM,
    SID,
    SUE,
    FakeUnitOfWork,
    make_org,
    make_person,
)
from refusals import assert_refused

from bot.core.errors import Deactivated, InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import reassign
from bot.core.usecases.team import (
    change_manager,
    change_role,
    managers_for,
    reactivate,
    set_language,
    visible_team,
)

R = Role
ADA2 = 20  # a second admin
E = TypeVar("E", bound=Exception)


@pytest.fixture
def uow() -> ApprovalUnitOfWork:
    """The standard organisation; with the approval fakes, as deactivating moves steps too."""
    return ApprovalUnitOfWork.of(make_org())


# --- change_role --------------------------------------------------------------------------


async def test_change_role_saves_tells_and_audits(uow: FakeUnitOfWork) -> None:
    changed = await change_role(uow, actor_id=ADA, person_id=ROB, role=R.supervisor, now=NOW)

    assert changed == replace(uow.people[ROB], role=R.supervisor)
    assert uow.people[ROB].role is R.supervisor
    assert uow.outbox.sent_to(ROB) == [Notification(ROB, "role_changed", {"role": "supervisor"})]
    assert uow.audit.entries == [
        AuditEntry("role_changed", ADA, NOW, f"person:{ROB}", comment="supervisor")
    ]
    assert uow.committed == 1


@pytest.mark.parametrize("actor", [GUS, SAM, ROB])
async def test_only_an_admin_changes_roles(uow: FakeUnitOfWork, actor: int) -> None:
    await assert_refused(
        uow, change_role(uow, actor_id=actor, person_id=RAY, role=R.supervisor, now=NOW), NotAllowed
    )


async def test_change_role_of_nobody(uow: FakeUnitOfWork) -> None:
    await assert_refused(
        uow, change_role(uow, actor_id=ADA, person_id=99, role=R.rep, now=NOW), NotFound
    )


async def test_the_last_admin_cannot_step_down(uow: FakeUnitOfWork) -> None:
    error = await assert_refused(
        uow, change_role(uow, actor_id=ADA, person_id=ADA, role=R.rep, now=NOW), InvalidChange
    )

    assert error.reason == "last_admin"


async def test_an_admin_steps_down_when_another_remains() -> None:
    uow = FakeUnitOfWork.of([*make_org(), make_person(id=ADA2, role=R.admin)])

    await change_role(uow, actor_id=ADA, person_id=ADA, role=R.general_manager, now=NOW)

    assert uow.people[ADA].role is R.general_manager
    assert await uow.people.admin_count() == 1
    assert uow.committed == 1


async def test_the_last_admin_may_be_given_admin_again(uow: FakeUnitOfWork) -> None:
    await change_role(uow, actor_id=ADA, person_id=ADA, role=R.admin, now=NOW)

    assert uow.people[ADA].is_admin
    assert uow.committed == 1


async def test_a_deactivated_admin_cannot_change_roles(uow: FakeUnitOfWork) -> None:
    uow.people.rows[ADA].active = False
    uow.baseline()

    await assert_refused(
        uow, change_role(uow, actor_id=ADA, person_id=ROB, role=R.supervisor, now=NOW), Deactivated
    )


# --- change_manager -----------------------------------------------------------------------


@pytest.mark.parametrize(("person", "manager"), [(ROB, SID), (SUE, GUS), (SAM, None), (ACE, SAM)])
async def test_change_manager(uow: FakeUnitOfWork, person: int, manager: int | None) -> None:
    others = {p.id: p for p in await uow.people.all() if p.id != person}

    changed = await change_manager(uow, actor_id=ADA, person_id=person, manager_id=manager, now=NOW)

    assert changed.reports_to == manager
    assert uow.people[person] == changed
    assert {p.id: p for p in await uow.people.all() if p.id != person} == others
    assert uow.audit.entries == [
        AuditEntry("manager_changed", ADA, NOW, f"person:{person}", comment=str(manager))
    ]
    assert uow.committed == 1


@pytest.mark.parametrize(("person", "manager"), [(SAM, ROB), (SAM, SID), (MIA, SAM), (SUE, SUE)])
async def test_change_manager_refuses_a_cycle(
    uow: FakeUnitOfWork, person: int, manager: int
) -> None:
    error = await assert_refused(
        uow,
        change_manager(uow, actor_id=ADA, person_id=person, manager_id=manager, now=NOW),
        InvalidChange,
    )

    assert error.reason == "cycle"


@pytest.mark.parametrize(
    ("actor", "person", "manager", "error"),
    [
        (GUS, ROB, SID, NotAllowed),  # a manager may not rearrange even their own subtree
        (ROB, ROB, SID, NotAllowed),
        (ADA, 99, SID, NotFound),
        (ADA, ROB, 99, NotFound),
    ],
)
async def test_change_manager_refused(
    uow: FakeUnitOfWork, actor: int, person: int, manager: int, error: type[Exception]
) -> None:
    await assert_refused(
        uow,
        change_manager(uow, actor_id=actor, person_id=person, manager_id=manager, now=NOW),
        error,
    )


async def test_change_manager_refuses_a_deactivated_manager(uow: FakeUnitOfWork) -> None:
    uow.people.rows[SID].active = False
    uow.baseline()

    await assert_refused(
        uow, change_manager(uow, actor_id=ADA, person_id=ROB, manager_id=SID, now=NOW), NotFound
    )


async def test_change_manager_refuses_someone_who_manages_nobody(uow: FakeUnitOfWork) -> None:
    await assert_refused(
        uow,
        change_manager(uow, actor_id=ADA, person_id=RAY, manager_id=ROB, now=NOW),
        InvalidChange,
    )


# --- deactivate / reactivate --------------------------------------------------------------


async def deactivate(uow: ApprovalUnitOfWork, *, actor_id: int, person_id: int) -> Person:
    return await reassign.deactivate(
        uow, actor_id=actor_id, person_id=person_id, policy=Policy(), now=NOW
    )


@pytest.mark.parametrize(
    ("person", "reports", "new_manager"),
    [
        (SAM, {SUE, SID}, MIA),
        (SUE, {ROB}, SAM),
        (GUS, {MIA, FAY}, None),  # reports of a root become roots
        (RAY, set(), SID),
    ],
)
async def test_deactivate_moves_reports_up(
    uow: ApprovalUnitOfWork, person: int, reports: set[int], new_manager: int | None
) -> None:
    assert uow.people.reporting_to(person) == reports
    already_under_new_manager = uow.people.reporting_to(new_manager)
    own_manager = uow.people[person].reports_to

    changed = await deactivate(uow, actor_id=ADA, person_id=person)

    assert changed == uow.people[person]
    assert not changed.active
    assert changed.reports_to == own_manager  # kept, so a reactivation puts them back
    assert uow.people.reporting_to(person) == set()
    assert uow.people.reporting_to(new_manager) == already_under_new_manager | reports
    assert uow.audit.entries == [AuditEntry("deactivated", ADA, NOW, f"person:{person}")]
    assert uow.committed == 1


async def test_deactivate_leaves_everyone_else_alone(uow: ApprovalUnitOfWork) -> None:
    untouched = {p.id: p for p in await uow.people.all() if p.id not in {SUE, ROB}}

    await deactivate(uow, actor_id=ADA, person_id=SUE)

    assert {p.id: p for p in await uow.people.all() if p.id not in {SUE, ROB}} == untouched


async def test_nobody_deactivates_themselves(uow: ApprovalUnitOfWork) -> None:
    error = await assert_refused(uow, deactivate(uow, actor_id=ADA, person_id=ADA), InvalidChange)

    assert error.reason == "self"


async def test_an_admin_deactivates_another_admin_while_one_remains() -> None:
    uow = ApprovalUnitOfWork.of([*make_org(), make_person(id=ADA2, role=R.admin)])

    await deactivate(uow, actor_id=ADA, person_id=ADA2)

    assert await uow.people.admin_count() == 1


@pytest.mark.parametrize(
    ("actor", "person", "error"), [(GUS, ROB, NotAllowed), (ADA, 99, NotFound)]
)
async def test_deactivate_refused(
    uow: ApprovalUnitOfWork, actor: int, person: int, error: type[Exception]
) -> None:
    await assert_refused(uow, deactivate(uow, actor_id=actor, person_id=person), error)


async def test_reactivate(uow: ApprovalUnitOfWork) -> None:
    await deactivate(uow, actor_id=ADA, person_id=ROB)

    back = await reactivate(uow, actor_id=ADA, person_id=ROB, now=NOW)

    assert back.active
    assert uow.people[ROB].active
    assert uow.audit.actions() == ["deactivated", "reactivated"]
    assert uow.committed == 2


# --- set_language, visible_team, managers_for ---------------------------------------------


async def test_set_language(uow: FakeUnitOfWork) -> None:
    changed = await set_language(uow, person_id=ROB, language="en")

    assert changed.language == "en"
    assert uow.people[ROB] == changed
    assert uow.committed == 1


async def test_set_language_refused() -> None:
    uow = FakeUnitOfWork.of([make_person(id=ROB, active=False)])

    await assert_refused(uow, set_language(uow, person_id=ROB, language="en"), Deactivated)
    await assert_refused(uow, set_language(uow, person_id=99, language="en"), NotFound)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [(ADA, set(range(ADA, ACE + 1))), (SAM, {SAM, SUE, ROB, SID, RAY}), (ROB, {ROB})],
)
async def test_visible_team(uow: FakeUnitOfWork, actor: int, expected: set[int]) -> None:
    uow.people.rows[RAY].active = False  # the deactivated stay visible to their managers

    assert {p.id for p in await visible_team(uow, actor)} == expected
    assert uow.committed == 0


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (SUE, [ADA, GUS, MIA, SAM, SID, FAY]),
        (SAM, [ADA, GUS, MIA, FAY]),
        (GUS, [ADA]),
        (ROB, [ADA, GUS, MIA, SAM, SUE, SID, FAY]),
    ],
)
def test_managers_for(person: int, expected: list[int]) -> None:
    people = make_org()
    people += [make_person(id=30, role=R.general_manager, active=False)]

    by_id = {p.id: p for p in people}

    assert [p.id for p in managers_for(by_id[person], people)] == expected
