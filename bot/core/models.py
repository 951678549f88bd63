from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.roles import MANAGING_ROLES, Role

NAME_MAX = 64
# The largest record id: ids are INTEGER columns, 64-bit on SQLite but 32-bit on PostgreSQL, so
# the narrower bound holds on both. A number from outside (a button) above it names no record.
MAX_ID = 2**31 - 1


@dataclass(slots=True)
class Person:
    id: int
    telegram_id: int
    full_name: str
    role: Role
    reports_to: int | None = None
    language: str | None = None
    active: bool = True
    unreachable: bool = False
    joined_at: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def manages(self) -> bool:
        return self.role in MANAGING_ROLES


@dataclass(slots=True)
class Invite:
    code: str
    role: Role
    reports_to: int | None
    created_by: int | None  # None: made from the command line
    created_at: datetime
    expires_at: datetime
    used_by: int | None = None  # the redeemer's Telegram id
    used_at: datetime | None = None
    name: str | None = None  # the newcomer's name as the inviter typed it; None: not asked

    def problem(self, now: datetime) -> str | None:
        """Why this invite cannot be used at `now`, or None when it can."""
        if self.used_by is not None:
            return "used"
        if now >= self.expires_at:
            return "expired"
        return None


@dataclass(slots=True)
class Notification:
    """A message to one person, rendered in their language when it is sent.

    `template` names a file in templates/notifications; `params` must be JSON-serialisable.
    `ref` names the message for later edits (for example a request's status message).
    """

    recipient_id: int
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None
    edit: bool = False  # edit the message last sent under `ref` instead of sending a new one
    edit_only: bool = False  # with `edit`: when there is nothing to edit, send nothing


@dataclass(slots=True)
class AuditEntry:
    action: str
    actor_id: int | None
    at: datetime
    subject: str
    on_behalf_of: int | None = None
    comment: str | None = None


@dataclass(slots=True)
class OutboxItem:
    """A claimed notification, with what the sender needs to deliver it."""

    id: int
    recipient_id: int
    chat_id: int
    language: str | None
    template: str
    params: dict[str, Any]
    ref: str | None
    attempts: int  # real delivery failures so far; waiting costs none
    edit: bool = False
    edit_only: bool = False


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    """A Telegram update as the inbox keeps it: its id, whose order it belongs to, the JSON."""

    update_id: int
    chat_key: int
    payload: str


@dataclass(slots=True)
class FailedNotification:
    """An outbox row the sender settled as failed, as an admin lists it."""

    id: int
    failed_at: datetime | None  # None for rows that failed before the time was recorded
    recipient_id: int
    recipient_name: str
    template: str
    error: str | None
