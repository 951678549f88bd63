"""The company policy: every number the process uses, with the seed's values as defaults.

A company overrides any of them in its POLICY_FILE (TOML); `parse_policy` validates the parsed
mapping and names the first wrong key, so a bad file stops the start with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.contract_numbers import NumberPatternError, check_number_pattern
from bot.core.roles import Role

LANGUAGES = ("en", "zh")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REQUEST_KINDS = ("special_terms", "contract", "invoice", "commission")


class PolicyError(ValueError):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"policy: {key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Band:
    """Requests within these limits need only `roles`; the first band that fits wins."""

    roles: tuple[Role, ...]
    max_discount: Decimal | None = None
    max_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ApprovalRule:
    """`cc` (抄送) names who is told a request's outcome without deciding it: role names, or
    `REQUESTER_SUPERVISOR` for whoever the requester reports to."""

    chain: tuple[Role, ...]
    bands: tuple[Band, ...] = ()
    cc: tuple[str, ...] = ()


REQUESTER_SUPERVISOR = "requester_supervisor"


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Seed: special terms are decided the same day. A step opened after `same_day_until`
    is due the next working day at `next_day_due`."""

    due_time: time = time(18, 0)
    same_day_until: time = time(16, 0)
    next_day_due: time = time(12, 0)
    remind_before_minutes: int = 60
    max_reminders: int = 2
    # 催办: a requester urges the step's decider at most once this often (not a reminder).
    urge_interval_minutes: int = 60


@dataclass(frozen=True, slots=True)
class Reminders:
    digest: time = time(9, 0)
    followups: time = time(8, 30)
    plan_reminder_day: int = 4  # Friday (Monday = 0)
    plan_reminder: time = time(15, 0)
    evening_prompt: time | None = time(19, 0)
    # New prospects within this many minutes of the keeper's last list edit that list instead
    # of sending another message.
    bundle_minutes: int = 10


@dataclass(frozen=True, slots=True)
class Meeting:
    """Seed: the weekly meeting is on Saturday morning; plans are due the evening before."""

    weekday: int = 5
    at: time = time(9, 0)
    summary_at: time = time(8, 30)
    plan_due_weekday: int = 4
    plan_due: time = time(18, 0)


@dataclass(frozen=True, slots=True)
class Targets:
    """Seed: monthly sales tasks are assigned in writing and the rep confirms them; the rep has
    this many working days after the day a target is set."""

    confirm_within_days: int = 2


@dataclass(frozen=True, slots=True)
class Customers:
    """Pick lists for the customer register. The built-in codes are translated in the bot; a
    company's own entries are shown as written. Every list also offers "other"."""

    industries: tuple[str, ...] = (
        "manufacturing",
        "wholesale",
        "retail",
        "construction",
        "food",
        "electronics",
        "services",
    )
    sizes: tuple[str, ...] = ("micro", "small", "medium", "large")
    # The seed's seven sales regions: 东北、华北、华东、华中、西北、华南、西南.
    regions: tuple[str, ...] = (
        "northeast",
        "north",
        "east",
        "central",
        "northwest",
        "south",
        "southwest",
    )
    sources: tuple[str, ...] = ("visit", "referral", "phone", "exhibition", "online", "walk_in")


@dataclass(frozen=True, slots=True)
class Visits:
    backdate_days: int = 7
    radius_m: int = 500


class FiledBy(StrEnum):
    sales_desk = "sales_desk"
    rep = "rep"


@dataclass(frozen=True, slots=True)
class Orders:
    """Who files the order papers (contract applications, delivery notes, work orders): the
    sales desk (销售业务科) as in the seed, or the deal's rep in a company without one."""

    filed_by: FiledBy = FiledBy.sales_desk


@dataclass(frozen=True, slots=True)
class Contracts:
    """Seed, rule 6: the production notice is signed by the VP in charge of sales."""

    number_pattern: str = "HT-{year}-{seq:04d}"
    production_signer: Role = Role.marketing_vp


@dataclass(frozen=True, slots=True)
class Collections:
    """Collection (rule 5), credit and commission (rule 9). The seed says overdue money
    attracts interest and is deducted from commission but gives no rate: `interest_rate`
    (annual, 0.06 = 6 %) and `commission_rate` are product defaults, not the seed's."""

    interest_rate: Decimal = Decimal("0.06")
    commission_deduction: Decimal = Decimal(1)  # share of the interest taken off commission
    commission_rate: Decimal = Decimal("0.02")
    legal_after_days: int = 90
    due_soon_days: int = 7
    watch_overdue_days: int = 30
    hold_overdue_days: int = 90
    hold_overdue_share: Decimal = Decimal("0.30")
    sweep_at: time = time(9, 30)  # the daily collections sweep, on working days
    overdue_every_days: int = 7  # an overdue instalment is told again this often …
    overdue_reminders: int = 3  # … this many times in all
    # the sales department's commission, accrued monthly on cumulative completion (rule 12)
    department_rate: Decimal = Decimal("0.005")


@dataclass(frozen=True, slots=True)
class Pool:
    """The customer pool (公海): a customer its owner leaves idle for `idle_days` returns to a
    pool every rep may claim from, after a warning `warn_days_before` that day. A rep holds at
    most `max_open_customers` open customers: 200 is about what one rep can follow when each
    gets a visit or a call within the 30 idle days (some ten contacts a working day); more
    and the pool's rule would take them back anyway."""

    enabled: bool = True
    idle_days: int = 30
    warn_days_before: int = 3
    claims_per_day: int = 5
    max_open_customers: int = 200
    reclaim_block_days: int = 30


@dataclass(frozen=True, slots=True)
class Review:
    """The monthly performance review's grade thresholds, in per cent: a grade is suggested
    when the sales target completion reaches its `*_completion` and the collection rate (回款率)
    its `*_rate`. Product defaults: excellent 120 % and 95 %, good 100 % and 90 %, average
    80 % and 80 %; below them, below target."""

    excellent_completion: int = 120
    excellent_rate: int = 95
    good_completion: int = 100
    good_rate: int = 90
    average_completion: int = 80
    average_rate: int = 80


def _default_approval() -> dict[str, ApprovalRule]:
    return {
        "special_terms": ApprovalRule(
            chain=(Role.supervisor, Role.sales_manager, Role.marketing_vp, Role.general_manager)
        ),
        "contract": ApprovalRule(
            chain=(Role.sales_manager, Role.general_manager), cc=(REQUESTER_SUPERVISOR,)
        ),
        "invoice": ApprovalRule(chain=(Role.finance_vp,)),
        "commission": ApprovalRule(chain=(Role.accountant, Role.finance_vp, Role.general_manager)),
    }


@dataclass(frozen=True, slots=True)
class Policy:
    timezone: str = "Asia/Shanghai"
    default_language: str = "zh"
    currency: str = "CNY"
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    invite_ttl_days: int = 7
    invoice_threshold: Decimal = Decimal("0.60")
    approval: Mapping[str, ApprovalRule] = field(default_factory=_default_approval)
    deadlines: Deadlines = field(default_factory=Deadlines)
    reminders: Reminders = field(default_factory=Reminders)
    meeting: Meeting = field(default_factory=Meeting)
    targets: Targets = field(default_factory=Targets)
    customers: Customers = field(default_factory=Customers)
    visits: Visits = field(default_factory=Visits)
    orders: Orders = field(default_factory=Orders)
    contracts: Contracts = field(default_factory=Contracts)
    collections: Collections = field(default_factory=Collections)
    pool: Pool = field(default_factory=Pool)
    review: Review = field(default_factory=Review)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


T = TypeVar("T")


def _time(key: str, value: object) -> time:
    """A wall-clock time in the company's zone; an offset would contradict `timezone`."""
    parsed: time | None = value if isinstance(value, time) else None
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is not None:
        raise PolicyError(key, f"expected a time as HH:MM, got {value!r}")
    return parsed


def _optional_time(key: str, value: object) -> time | None:
    if value is False or value == "off":
        return None
    return _time(key, value)


def _int(low: int, high: int) -> Callable[[str, object], int]:
    def parse(key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PolicyError(key, f"expected a whole number from {low} to {high}, got {value!r}")
        return value

    return parse


FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(key: str, value: object) -> int:
    name = value.lower() if isinstance(value, str) else ""
    if name in WEEKDAYS:
        return WEEKDAYS.index(name)
    if name in FULL_WEEKDAYS:
        return FULL_WEEKDAYS.index(name)
    raise PolicyError(key, f"expected a weekday (mon … sun), got {value!r}")


def _weekdays(key: str, value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise PolicyError(key, 'expected a non-empty list of weekdays such as ["mon", "fri"]')
    return tuple(sorted({_weekday(key, item) for item in value}))


def _bool(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(key, f"expected true or false, got {value!r}")
    return value


def _decimal(key: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PolicyError(key, f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PolicyError(key, f"expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise PolicyError(key, f"expected a number of 0 or more, got {value!r}")
    return number


def _fraction(key: str, value: object) -> Decimal:
    number = _decimal(key, value)
    if number > 1:
        raise PolicyError(key, f"expected a fraction from 0 to 1 (0.6 = 60 %), got {value!r}")
    return number


def _timezone(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise PolicyError(key, f'expected a time zone name such as "Asia/Shanghai", got {value!r}')
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(key, f"unknown time zone {value!r}") from None
    return value


def _currency(key: str, value: object) -> str:
    if not (isinstance(value, str) and len(value) == 3 and value.isascii() and value.isupper()):
        raise PolicyError(key, f'expected an ISO 4217 code such as "CNY", got {value!r}')
    return value


def _language(key: str, value: object) -> str:
    if value not in LANGUAGES:
        raise PolicyError(key, f"expected one of {', '.join(LANGUAGES)}, got {value!r}")
    return str(value)


def _roles(key: str, value: object) -> tuple[Role, ...]:
    if not isinstance(value, list) or not value:
        raise PolicyError(key, "expected a non-empty list of roles")
    roles: list[Role] = []
    for item in value:
        if item not in Role.__members__:
            raise PolicyError(key, f"unknown role {item!r}")
        roles.append(Role(item))
    return tuple(roles)


def _cc(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise PolicyError(key, f"expected a list of roles or {REQUESTER_SUPERVISOR!r}")
    for item in value:
        if item != REQUESTER_SUPERVISOR and item not in Role.__members__:
            raise PolicyError(key, f"unknown role {item!r}")
    return tuple(dict.fromkeys(value))


def _table(key: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyError(key, "expected a table")
    return value


def _fields(
    key: str, data: object, parsers: Mapping[str, Callable[[str, Any], Any]]
) -> dict[str, Any]:
    table = _table(key, data)
    unknown = sorted(set(table) - set(parsers))
    if unknown:
        raise PolicyError(f"{key}.{unknown[0]}" if key else unknown[0], "unknown setting")
    return {
        name: parsers[name](f"{key}.{name}" if key else name, value)
        for name, value in table.items()
    }


def _band(key: str, value: object) -> Band:
    fields = _fields(
        key, value, {"roles": _roles, "max_discount": _decimal, "max_amount": _decimal}
    )
    if "roles" not in fields:
        raise PolicyError(f"{key}.roles", "is required")
    return Band(**fields)


def _bands(key: str, value: object) -> tuple[Band, ...]:
    if not isinstance(value, list):
        raise PolicyError(key, "expected a list of bands ([[…bands]] tables)")
    return tuple(_band(f"{key}[{i}]", item) for i, item in enumerate(value))


def _approval_rule(key: str, value: object, default: ApprovalRule | None) -> ApprovalRule:
    fields = _fields(key, value, {"chain": _roles, "bands": _bands, "cc": _cc})
    chain = fields.get("chain", default.chain if default else None)
    if chain is None:
        raise PolicyError(f"{key}.chain", "is required")
    return ApprovalRule(
        chain=chain,
        bands=fields.get("bands", default.bands if default else ()),
        cc=fields.get("cc", default.cc if default else ()),
    )


def _approval(key: str, value: object) -> dict[str, ApprovalRule]:
    rules = dict(_default_approval())
    for kind, rule in _table(key, value).items():
        if kind not in REQUEST_KINDS:
            raise PolicyError(
                f"{key}.{kind}", f"unknown request kind; known: {', '.join(REQUEST_KINDS)}"
            )
        rules[kind] = _approval_rule(f"{key}.{kind}", rule, rules.get(kind))
    return rules


def _section(
    cls: type[T], parsers: Mapping[str, Callable[[str, Any], Any]]
) -> Callable[[str, object], T]:
    def parse(key: str, value: object) -> T:
        return cls(**_fields(key, value, parsers))

    return parse


_DEADLINES = _section(
    Deadlines,
    {
        "due_time": _time,
        "same_day_until": _time,
        "next_day_due": _time,
        "remind_before_minutes": _int(0, 24 * 60),
        "max_reminders": _int(0, 20),
        "urge_interval_minutes": _int(1, 7 * 24 * 60),
    },
)
_REMINDERS = _section(
    Reminders,
    {
        "digest": _time,
        "followups": _time,
        "plan_reminder_day": _weekday,
        "plan_reminder": _time,
        "evening_prompt": _optional_time,
        "bundle_minutes": _int(0, 240),
    },
)
_MEETING = _section(
    Meeting,
    {
        "weekday": _weekday,
        "at": _time,
        "summary_at": _time,
        "plan_due_weekday": _weekday,
        "plan_due": _time,
    },
)

_TARGETS = _section(Targets, {"confirm_within_days": _int(1, 20)})


def _names(key: str, value: object) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and 0 < len(item.strip()) <= 40 for item in value)
    ):
        raise PolicyError(key, "expected a non-empty list of names of at most 40 characters")
    return tuple(dict.fromkeys(item.strip() for item in value))


_CUSTOMERS = _section(
    Customers, {"industries": _names, "sizes": _names, "regions": _names, "sources": _names}
)
_VISITS = _section(Visits, {"backdate_days": _int(0, 90), "radius_m": _int(10, 100_000)})


def _filed_by(key: str, value: object) -> FiledBy:
    if value not in tuple(FiledBy):
        raise PolicyError(key, f"expected one of: {', '.join(FiledBy)}")
    return FiledBy(str(value))


_ORDERS = _section(Orders, {"filed_by": _filed_by})


def _number_pattern(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise PolicyError(
            key, f'expected a pattern such as "HT-{{year}}-{{seq:04d}}", got {value!r}'
        )
    try:
        check_number_pattern(value)
    except NumberPatternError as error:
        raise PolicyError(key, str(error)) from None
    return value


def _role(key: str, value: object) -> Role:
    return _roles(key, [value])[0]


_CONTRACTS = _section(Contracts, {"number_pattern": _number_pattern, "production_signer": _role})
_COLLECTIONS = _section(
    Collections,
    {
        "interest_rate": _fraction,
        "commission_deduction": _fraction,
        "commission_rate": _fraction,
        "legal_after_days": _int(1, 3650),
        "due_soon_days": _int(0, 90),
        "watch_overdue_days": _int(0, 3650),
        "hold_overdue_days": _int(0, 3650),
        "hold_overdue_share": _fraction,
        "sweep_at": _time,
        "overdue_every_days": _int(1, 365),
        "overdue_reminders": _int(0, 20),
        "department_rate": _fraction,
    },
)
_POOL = _section(
    Pool,
    {
        "enabled": _bool,
        "idle_days": _int(2, 3650),
        "warn_days_before": _int(0, 30),
        "claims_per_day": _int(0, 1000),
        "max_open_customers": _int(1, 100_000),
        "reclaim_block_days": _int(0, 3650),
    },
)
_REVIEW = _section(
    Review,
    {
        name: _int(0, 1000)
        for level in ("excellent", "good", "average")
        for name in (f"{level}_completion", f"{level}_rate")
    },
)


def _check_review(review: Review) -> None:
    """Each measure's thresholds must not rise from excellent down to average."""
    for measure in ("completion", "rate"):
        levels = [
            getattr(review, f"{level}_{measure}") for level in ("excellent", "good", "average")
        ]
        if levels != sorted(levels, reverse=True):
            raise PolicyError(
                f"review.good_{measure}",
                f"{measure} thresholds must be ordered: excellent ≥ good ≥ average",
            )


_TOP: Mapping[str, Callable[[str, Any], Any]] = {
    "timezone": _timezone,
    "default_language": _language,
    "currency": _currency,
    "working_days": _weekdays,
    "work_start": _time,
    "work_end": _time,
    "quiet_start": _time,
    "quiet_end": _time,
    "invite_ttl_days": _int(1, 365),
    "invoice_threshold": _fraction,
    "approval": _approval,
    "deadlines": _DEADLINES,
    "reminders": _REMINDERS,
    "meeting": _MEETING,
    "targets": _TARGETS,
    "customers": _CUSTOMERS,
    "visits": _VISITS,
    "orders": _ORDERS,
    "contracts": _CONTRACTS,
    "collections": _COLLECTIONS,
    "pool": _POOL,
    "review": _REVIEW,
}


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """Build a Policy from a parsed TOML mapping; missing keys keep the seed's defaults."""
    policy = Policy(**_fields("", data, _TOP))
    if policy.work_start >= policy.work_end:
        raise PolicyError("work_end", "must be later than work_start")
    if policy.deadlines.same_day_until > policy.deadlines.due_time:
        raise PolicyError("deadlines.same_day_until", "must not be later than deadlines.due_time")
    if policy.collections.hold_overdue_days < policy.collections.watch_overdue_days:
        raise PolicyError(
            "collections.hold_overdue_days", "must not be less than collections.watch_overdue_days"
        )
    _check_review(policy.review)
    if policy.pool.warn_days_before >= policy.pool.idle_days:
        raise PolicyError("pool.warn_days_before", "must be less than pool.idle_days")
    return policy
