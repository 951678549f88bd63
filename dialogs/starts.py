"""What a form is started with, typed: the code that starts a form and the form that reads it
share one class, so a key cannot be misspelled on either side. A form started any other way
(from a command, with no data) reads None."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Self

from bot.core.approvals import Decision


@dataclass(frozen=True, slots=True)
class StartData:
    def data(self) -> dict[str, Any]:
        return {key: getattr(value, "value", value) for key, value in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class AtCustomer(StartData):
    """A form opened at one customer: the customer's card, a visit to them. `back_to_caller`:
    Back on the card returns to the form that opened it (a request in /pending)."""

    customer: int
    back_to_caller: bool = False

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("customer"):
            return cls(int(data["customer"]), bool(data.get("back_to_caller")))
        return None


@dataclass(frozen=True, slots=True)
class EditCustomer(StartData):
    """The register form opened on a saved customer, to change its record."""

    edit: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("edit"):
            return cls(int(data["edit"]))
        return None


@dataclass(frozen=True, slots=True)
class DecideStep(StartData):
    """The text asked before a decision on an approval step: a reason, or an opinion."""

    step: int
    decision: Decision

    @classmethod
    def read(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise TypeError("the decision form needs the step and the decision")
        return cls(int(data["step"]), Decision(data["decision"]))


@dataclass(frozen=True, slots=True)
class TransferStep(StartData):
    """A card's Transfer (whom to hand the step to, then why) or, with `add`, its Add approver
    (whom to ask, before or after, then why)."""

    step: int
    add: bool = False

    @classmethod
    def read(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise TypeError("the transfer form needs the step")
        return cls(int(data["step"]), bool(data.get("add", False)))


@dataclass(frozen=True, slots=True)
class OpenRequest(StartData):
    """A request opened read-only from a message about it (a CC'd outcome)."""

    request: int

    @classmethod
    def read(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise TypeError("the request view needs the request")
        return cls(int(data["request"]))


@dataclass(frozen=True, slots=True)
class ReviewPlan(StartData):
    """A plan card's Comment or Return: the text for that plan."""

    plan: int
    action: str

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("plan"):
            return cls(int(data["plan"]), str(data.get("action", "comment")))
        return None


@dataclass(frozen=True, slots=True)
class OpenReview(StartData):
    """A performance review's button: the review, opened at its comment or its grade."""

    review: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("review"):
            return cls(int(data["review"]))
        return None


@dataclass(frozen=True, slots=True)
class Resubmit(StartData):
    """A returned request edited for its next round, from its last terms."""

    request_id: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("request_id"):
            return cls(int(data["request_id"]))
        return None


@dataclass(frozen=True, slots=True)
class SearchCustomers(StartData):
    """/customer opened on the matches for words typed outside any form."""

    query: str

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and isinstance(data.get("query"), str) and data["query"]:
            return cls(data["query"])
        return None


@dataclass(frozen=True, slots=True)
class AtDeal(StartData):
    """A form about one deal: its signed reservation, its deposit."""

    deal: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("deal"):
            return cls(int(data["deal"]))
        return None


@dataclass(frozen=True, slots=True)
class AtWorkOrder(StartData):
    """The screen of one work order."""

    order: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("order"):
            return cls(int(data["order"]))
        return None


@dataclass(frozen=True, slots=True)
class AtContract(StartData):
    """A contract's production and delivery screen, or the delivery note form for it."""

    contract: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("contract"):
            return cls(int(data["contract"]))
        return None


@dataclass(frozen=True, slots=True)
class AtNote(StartData):
    """One delivery note's screen."""

    note: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("note"):
            return cls(int(data["note"]))
        return None


@dataclass(frozen=True, slots=True)
class AtInvoice(StartData):
    """The form that issues one signed invoice."""

    invoice: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("invoice"):
            return cls(int(data["invoice"]))
        return None


@dataclass(frozen=True, slots=True)
class AtSheet(StartData):
    """The screen of one commission sheet; `back` opens it at the return's reason."""

    sheet: int
    back: bool = False

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("sheet"):
            return cls(int(data["sheet"]), bool(data.get("back")))
        return None


@dataclass(frozen=True, slots=True)
class AtRepMonth(StartData):
    """The commission sheet form opened for one rep (the month just ended)."""

    rep: int

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("rep"):
            return cls(int(data["rep"]))
        return None


@dataclass(frozen=True, slots=True)
class AtMonth(StartData):
    """The ledger's reconciliation of one month (its first day, ISO)."""

    month: str

    @classmethod
    def read(cls, data: object) -> Self | None:
        if isinstance(data, dict) and data.get("month"):
            return cls(str(data["month"]))
        return None


@dataclass(frozen=True, slots=True)
class EditTopic(StartData):
    """The meeting pack message's Training topic: the topic form for the coming meeting."""

    topic: bool = True

    @classmethod
    def read(cls, data: object) -> Self | None:
        return cls() if isinstance(data, dict) and data.get("topic") else None
