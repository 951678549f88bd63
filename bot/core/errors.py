"""Domain errors, each with a stable code the bot turns into a sentence in the user's language."""

from datetime import datetime


class DomainError(Exception):
    code = "error"

    def __init__(self, **details: object) -> None:
        super().__init__(self.code, details)
        self.details = details


class NotAllowed(DomainError):
    code = "not_allowed"


class NotFound(DomainError):
    code = "not_found"


class InviteInvalid(DomainError):
    """`reason` is one of: unknown, used, expired."""

    code = "invite_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)
        self.reason = reason


class AlreadyMember(DomainError):
    code = "already_member"


class Deactivated(DomainError):
    code = "deactivated"


class InvalidChange(DomainError):
    """`reason` names the broken rule, e.g. cycle, self, last_admin."""

    code = "invalid_change"

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)
        self.reason = reason


class AlreadyDecided(DomainError):
    """The step was decided (or closed) before this tap; `by` and `at` say by whom and when."""

    code = "already_decided"

    def __init__(self, by: str | None, at: datetime | None) -> None:
        super().__init__(by=by, at=at)
        self.by = by
        self.at = at


class ReasonRequired(DomainError):
    code = "reason_required"


class CustomerTaken(DomainError):
    """The company is already in the register under another rep: two reps never chase one
    buyer, so a quick add from a form refuses it and names the owner."""

    code = "customer_taken"

    def __init__(self, name: str, owner: str) -> None:
        super().__init__(name=name, owner=owner)
        self.name = name
        self.owner = owner
