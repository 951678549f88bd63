"""Bringing people in and keeping the organisation tree right."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.deals import InputProblem
from bot.core.errors import (
    AlreadyMember,
    InvalidChange,
    InviteInvalid,
    NotAllowed,
    NotFound,
)
from bot.core.models import NAME_MAX, AuditEntry, Invite, Notification, Person
from bot.core.org import subtree_ids, visible_ids, would_cycle
from bot.core.ports import UnitOfWork
from bot.core.roles import Role, invitable_roles
from bot.core.usecases.guards import active_person


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)


def display_name(full_name: str) -> str:
    name = " ".join(full_name.split())[:NAME_MAX]
    return name or "—"


def newcomer_name(text: str) -> str:
    """The name an inviter types for a newcomer, spaces collapsed: 1 to NAME_MAX characters
    with at least one letter and nothing unprintable, since it becomes the person's name on
    every card and list (Li Wei, 李伟, Anna-Marie O'Neil)."""
    name = " ".join(text.split())
    if not name:
        raise InputProblem("empty")
    if len(name) > NAME_MAX:
        raise InputProblem("too_long", limit=NAME_MAX, length=len(name))
    if not any(c.isalpha() for c in name) or not name.isprintable():
        raise InputProblem("bad_name")
    return name


async def identify(
    uow: UnitOfWork,
    *,
    telegram_id: int,
    full_name: str,
    admin_ids: frozenset[int],
    now: datetime,
    language: str | None = None,
) -> Person | None:
    """The person behind a Telegram id; an id in ADMIN_IDS becomes an admin on first contact."""
    person = await uow.people.by_telegram_id(telegram_id)
    if person is not None or telegram_id not in admin_ids:
        return person
    person = await uow.people.add(
        telegram_id=telegram_id,
        full_name=display_name(full_name),
        role=Role.admin,
        reports_to=None,
        language=language,
        joined_at=now,
    )
    await uow.audit.add(AuditEntry("admin_bootstrap", person.id, now, f"person:{person.id}"))
    await uow.commit()
    return person


async def invite_targets(uow: UnitOfWork, actor_id: int) -> tuple[list[Role], list[Person]]:
    """Roles the actor may hand out and the people a newcomer may report to."""
    actor = await active_person(uow, actor_id)
    roles = invitable_roles(actor.role)
    if not roles:
        raise NotAllowed(action="invite")
    people = [p for p in await uow.people.all() if p.active]
    allowed = visible_ids(actor, people)
    return roles, [p for p in people if p.id in allowed and p.manages]


async def create_invite(
    uow: UnitOfWork,
    *,
    actor_id: int,
    name: str,
    role: Role,
    reports_to: int | None,
    ttl: timedelta,
    now: datetime,
    new_code: Callable[[], str] = new_invite_code,
) -> Invite:
    """A single-use invite for a newcomer the inviter names: the name is the one the person
    joins under (the team knows them by it; a Telegram name is often a nickname)."""
    name = newcomer_name(name)
    roles, managers = await invite_targets(uow, actor_id)
    actor = await active_person(uow, actor_id)
    if role not in roles:
        raise NotAllowed(action="invite_role")
    if reports_to is None and not actor.is_admin:
        raise NotAllowed(action="invite_manager")
    if reports_to is not None and reports_to not in {p.id for p in managers}:
        raise NotAllowed(action="invite_manager")
    invite = Invite(
        code=new_code(),
        role=role,
        reports_to=reports_to,
        created_by=actor_id,
        created_at=now,
        expires_at=now + ttl,
        name=name,
    )
    await uow.invites.add(invite)
    await uow.audit.add(
        AuditEntry("invite_created", actor_id, now, f"invite:{invite.code}", comment=role.value)
    )
    await uow.commit()
    return invite


async def redeem_invite(
    uow: UnitOfWork,
    *,
    code: str,
    telegram_id: int,
    full_name: str,
    language: str | None,
    now: datetime,
) -> Person:
    invite = await uow.invites.get(code)
    if invite is None:
        raise InviteInvalid("unknown")
    problem = invite.problem(now)
    if problem is not None:
        raise InviteInvalid(problem)
    if await uow.people.by_telegram_id(telegram_id) is not None:
        raise AlreadyMember()
    if not await uow.invites.claim(code, telegram_id, now):
        raise InviteInvalid("used")
    person = await uow.people.add(
        telegram_id=telegram_id,
        full_name=invite.name or display_name(full_name),
        role=invite.role,
        reports_to=invite.reports_to,
        language=language,
        joined_at=now,
    )
    await uow.audit.add(
        AuditEntry("joined", person.id, now, f"person:{person.id}", comment=f"invite:{code}")
    )
    params = {"name": person.full_name, "role": person.role.value}
    told = {r for r in (invite.created_by, invite.reports_to) if r is not None and r != person.id}
    for recipient in sorted(told):
        await uow.outbox.add(Notification(recipient, "member_joined", params), now)
    await uow.commit()
    return person


async def open_invites(
    uow: UnitOfWork, actor_id: int, now: datetime
) -> list[tuple[Invite, str | None]]:
    """The actor's invites still waiting for their newcomer (an admin sees everyone's), each
    with the name of the manager the newcomer will report to."""
    actor = await active_person(uow, actor_id)
    if not invitable_roles(actor.role):
        raise NotAllowed(action="invite")
    names = {p.id: p.full_name for p in await uow.people.all()}
    return [
        (invite, names.get(invite.reports_to) if invite.reports_to else None)
        for invite in await uow.invites.open(now)
        if actor.is_admin or invite.created_by == actor_id
    ]


async def open_invite(
    uow: UnitOfWork, actor_id: int, code: str, now: datetime
) -> tuple[Invite, str | None]:
    """One of `open_invites`, to show its link again; any other code is not found."""
    found = [item for item in await open_invites(uow, actor_id, now) if item[0].code == code]
    if not found:
        raise NotFound(what="invite")
    return found[0]


async def visible_team(uow: UnitOfWork, actor_id: int) -> list[Person]:
    """Everyone the actor may see, the actor's subtree (all for an admin), deactivated included."""
    actor = await active_person(uow, actor_id)
    people = list(await uow.people.all())
    allowed = visible_ids(actor, people)
    return [p for p in people if p.id in allowed]


async def _admin_and_target(uow: UnitOfWork, actor_id: int, person_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if not actor.is_admin:
        raise NotAllowed(action="manage_team")
    target = await uow.people.get(person_id)
    if target is None:
        raise NotFound(what="person")
    return target


async def member_to_change(uow: UnitOfWork, actor_id: int, person_id: int) -> Person:
    """A person an admin opens in /team to change: only admins change the team."""
    return await _admin_and_target(uow, actor_id, person_id)


async def _ensure_not_last_admin(uow: UnitOfWork, target: Person) -> None:
    if target.is_admin and target.active and await uow.people.admin_count() <= 1:
        raise InvalidChange("last_admin")


async def change_role(
    uow: UnitOfWork, *, actor_id: int, person_id: int, role: Role, now: datetime
) -> Person:
    target = await _admin_and_target(uow, actor_id, person_id)
    if role is not Role.admin:
        await _ensure_not_last_admin(uow, target)
    changed = replace(target, role=role)
    await uow.people.save(changed)
    await uow.audit.add(
        AuditEntry("role_changed", actor_id, now, f"person:{person_id}", comment=role.value)
    )
    await uow.outbox.add(Notification(person_id, "role_changed", {"role": role.value}), now)
    await uow.commit()
    return changed


async def change_manager(
    uow: UnitOfWork, *, actor_id: int, person_id: int, manager_id: int | None, now: datetime
) -> Person:
    target = await _admin_and_target(uow, actor_id, person_id)
    people = list(await uow.people.all())
    if manager_id is not None:
        manager = next((p for p in people if p.id == manager_id), None)
        if manager is None or not manager.active:
            raise NotFound(what="person")
        if would_cycle(person_id, manager_id, people):
            raise InvalidChange("cycle")
        if not manager.manages:
            raise InvalidChange("not_a_manager")
    changed = replace(target, reports_to=manager_id)
    await uow.people.save(changed)
    await uow.audit.add(
        AuditEntry("manager_changed", actor_id, now, f"person:{person_id}", comment=str(manager_id))
    )
    await uow.commit()
    return changed


async def switch_off(uow: UnitOfWork, *, actor_id: int, person_id: int, now: datetime) -> Person:
    """Deactivate a person, leaving the commit to `reassign.deactivate`, which moves their open
    steps in the same transaction. Their direct reports move up to the person's own manager so
    that no approval chain is left hanging on someone who can no longer answer."""
    target = await _admin_and_target(uow, actor_id, person_id)
    if target.id == actor_id:
        raise InvalidChange("self")
    await _ensure_not_last_admin(uow, target)
    for person in await uow.people.all():
        if person.reports_to == target.id:
            await uow.people.save(replace(person, reports_to=target.reports_to))
    changed = replace(target, active=False)
    await uow.people.save(changed)
    await uow.audit.add(AuditEntry("deactivated", actor_id, now, f"person:{person_id}"))
    return changed


async def reactivate(uow: UnitOfWork, *, actor_id: int, person_id: int, now: datetime) -> Person:
    target = await _admin_and_target(uow, actor_id, person_id)
    changed = replace(target, active=True)
    await uow.people.save(changed)
    await uow.audit.add(AuditEntry("reactivated", actor_id, now, f"person:{person_id}"))
    await uow.commit()
    return changed


async def set_language(uow: UnitOfWork, *, person_id: int, language: str) -> Person:
    person = await active_person(uow, person_id)
    changed = replace(person, language=language)
    await uow.people.save(changed)
    await uow.commit()
    return changed


def managers_for(person: Person, people: Sequence[Person]) -> list[Person]:
    """Whom a person may be moved under: active managers outside their own subtree."""
    own = subtree_ids(person.id, people)
    return [p for p in people if p.active and p.manages and p.id not in own]


async def create_operator_invite(
    uow: UnitOfWork,
    *,
    role: Role,
    ttl: timedelta,
    now: datetime,
    name: str | None = None,
    new_code: Callable[[], str] = new_invite_code,
) -> Invite:
    """An invite made by whoever runs the server (`salesbot invite`): no creator, no manager;
    with a name, the newcomer joins under it as with any named invite."""
    invite = Invite(
        code=new_code(),
        role=role,
        reports_to=None,
        created_by=None,
        created_at=now,
        expires_at=now + ttl,
        name=newcomer_name(name) if name is not None else None,
    )
    await uow.invites.add(invite)
    await uow.audit.add(
        AuditEntry("invite_created", None, now, f"invite:{invite.code}", comment=role.value)
    )
    await uow.commit()
    return invite
