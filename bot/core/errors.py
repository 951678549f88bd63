"""Domain errors, each with a stable code the bot turns into a sentence in the user's language."""


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
